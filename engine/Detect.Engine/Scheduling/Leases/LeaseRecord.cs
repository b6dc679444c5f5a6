using System.Text.Json;
using System.Text.Json.Serialization;
using Detect.Engine.Scheduling.Events;

namespace Detect.Engine.Scheduling.Leases;

/// <summary>
/// The content of a lease object: who holds it (owner = host:pid:nonce), for which run, since when, and until
/// when unless renewed. Earlier versions wrote only Owner and ExpiresUtc; both are still what decides.
/// </summary>
internal sealed record LeaseRecord(string Owner, DateTime ExpiresUtc, string? Host = null, int? Pid = null, string? RunId = null, DateTime? SinceUtc = null)
{
    public const string Unreadable = "(unreadable lease)";

    public LeaseHolder ToHolder() => new(Owner, Host, Pid, RunId,
        SinceUtc is { } s ? new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) : null,
        new DateTimeOffset(DateTime.SpecifyKind(ExpiresUtc, DateTimeKind.Utc)));

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, LeaseJson.Default.LeaseRecord);

    /// <summary>The record, or one with owner <see cref="Unreadable"/> when the bytes are not a lease (half-written, foreign).</summary>
    public static LeaseRecord Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, LeaseJson.Default.LeaseRecord) is { Owner.Length: > 0 } r ? r : new LeaseRecord(Unreadable, DateTime.MinValue);
        }
        catch (JsonException) { return new LeaseRecord(Unreadable, DateTime.MinValue); }
    }
}

[JsonSerializable(typeof(LeaseRecord))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class LeaseJson : JsonSerializerContext;
