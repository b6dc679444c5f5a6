using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace Detect.Engine.Export;

/// <summary>
/// Writes a CWL document as YAML with YamlDotNet: block style, <see cref="FlowSequence"/>s on one line, and every
/// string that YAML would read as something else (true, 1, null, a leading '#' or '$') quoted.
/// </summary>
public static class CwlYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .WithIndentedSequences()
        .WithEventEmitter(next => new FlowSequenceEmitter(next))
        .Build();

    public static string Serialize(object document, IEnumerable<string> headerComments)
    {
        using var writer = new StringWriter();
        foreach (var line in headerComments) writer.WriteLine(line.Length == 0 ? "#" : "# " + line);
        Serializer.Serialize(writer, document);
        return writer.ToString();
    }

    private sealed class FlowSequenceEmitter(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(SequenceStartEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Type == typeof(FlowSequence)) eventInfo.Style = SequenceStyle.Flow;
            base.Emit(eventInfo, emitter);
        }
    }
}
