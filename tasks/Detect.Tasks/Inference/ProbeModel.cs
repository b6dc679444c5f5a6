namespace Detect.Tasks.Inference;

/// <summary>
/// A one-node ONNX model (y = Relu(x), x: float[2]) built in memory, so that "can CUDA run here?" is answered by
/// really creating a CUDA session and running it, without a model file. The bytes are the protobuf encoding of
/// onnx.ModelProto (ir_version 7, opset 13); the field numbers are those of onnx.proto.
/// </summary>
internal static class ProbeModel
{
    public const string Input = "x";
    public const string Output = "y";
    public const int Length = 2;

    public static byte[] Bytes { get; } = Build();

    private static byte[] Build()
    {
        var shape = Message((1, Nested(Message((1, Varint(Length))))));                 // TensorShapeProto: dim { dim_value: 2 }
        var tensorType = Message((1, Varint(1)), (2, Nested(shape)));                  // TypeProto.Tensor: elem_type FLOAT
        var type = Message((1, Nested(tensorType)));                                   // TypeProto: tensor_type
        byte[] ValueInfo(string name) => Message((1, Text(name)), (2, Nested(type)));  // ValueInfoProto
        var node = Message((1, Text(Input)), (2, Text(Output)), (3, Text("relu")), (4, Text("Relu")));
        var graph = Message((1, Nested(node)), (2, Text("cuda_probe")), (11, Nested(ValueInfo(Input))), (12, Nested(ValueInfo(Output))));
        var opset = Message((1, Text("")), (2, Varint(13)));
        return Message((1, Varint(7)), (7, Nested(graph)), (8, Nested(opset)));       // ir_version, graph, opset_import
    }

    /// <summary>A field value: a varint (wire type 0) or length-delimited bytes (wire type 2).</summary>
    private readonly record struct Value(ulong Number, byte[]? Payload);

    private static Value Varint(ulong v) => new(v, null);
    private static Value Text(string s) => new(0, System.Text.Encoding.UTF8.GetBytes(s));
    private static Value Nested(byte[] message) => new(0, message);

    private static byte[] Message(params (int Field, Value Value)[] fields)
    {
        var bytes = new List<byte>();
        foreach (var (field, value) in fields)
        {
            WriteVarint(bytes, (ulong)(field << 3 | (value.Payload is null ? 0 : 2)));
            if (value.Payload is null) { WriteVarint(bytes, value.Number); continue; }
            WriteVarint(bytes, (ulong)value.Payload.Length);
            bytes.AddRange(value.Payload);
        }
        return bytes.ToArray();
    }

    private static void WriteVarint(List<byte> bytes, ulong v)
    {
        while (v >= 0x80) { bytes.Add((byte)(v | 0x80)); v >>= 7; }
        bytes.Add((byte)v);
    }
}
