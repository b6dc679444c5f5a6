using Detect.Engine.Storage.S3;

namespace Detect.Engine.Storage;

/// <summary>
/// Where an object can be read in place, without downloading it through the store: a file on this machine,
/// an S3 object (with the settings that reach it), or an HTTP(S) URL. Readers that understand a location
/// (the GDAL layer: a local path, <c>/vsis3/</c>, <c>/vsicurl/</c>) open it directly; the engine only describes it.
/// </summary>
public abstract record ObjectLocation
{
    private ObjectLocation() { }

    /// <summary>A file on the local file system.</summary>
    public sealed record LocalFile(string Path) : ObjectLocation;

    /// <summary>
    /// An S3 object. <paramref name="RequesterPays"/> asks for requester-pays access on every request
    /// (<c>x-amz-request-payer: requester</c>): the reader's account is billed; harmless on other buckets.
    /// </summary>
    public sealed record S3Object(string Bucket, string Key, S3Settings Settings, bool RequesterPays = false) : ObjectLocation
    {
        public string Uri => $"s3://{Bucket}/{Key}";
    }

    /// <summary>An object served over HTTP(S) (range reads expected).</summary>
    public sealed record HttpObject(Uri Url) : ObjectLocation;
}
