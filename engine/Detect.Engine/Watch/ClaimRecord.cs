using System.Text.Json;
using System.Text.Json.Serialization;

namespace Detect.Engine.Watch;

/// <summary>The content of a trigger's claim object: who holds it (owner = host:pid:nonce), since when, until when unless renewed.</summary>
public sealed record ClaimRecord(string Owner, string Host, int Pid, string Trigger, DateTimeOffset Since, DateTimeOffset Expires)
{
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, ClaimJson.Default.ClaimRecord);

    /// <summary>The record, or null when the bytes are not one (half-written, foreign).</summary>
    public static ClaimRecord? Parse(ReadOnlySpan<byte> json)
    {
        try { return JsonSerializer.Deserialize(json, ClaimJson.Default.ClaimRecord) is { Owner.Length: > 0 } r ? r : null; }
        catch (JsonException) { return null; }
    }
}

[JsonSerializable(typeof(ClaimRecord))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ClaimJson : JsonSerializerContext;
