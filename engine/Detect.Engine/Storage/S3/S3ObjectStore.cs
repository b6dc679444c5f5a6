using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Detect.Engine.Storage.S3;

/// <summary>
/// An <see cref="IObjectStore"/> on S3 or an S3-compatible server (tested against OpenStack Swift's s3api).
/// Endpoint and credentials come from the standard AWS environment variables (<see cref="S3Settings"/>).
/// Publication is atomic: a single PUT for small files, a multipart upload (visible only once completed,
/// aborted on failure) for large ones. Every request is retried on 5xx, throttling and connection errors.
/// </summary>
public sealed class S3ObjectStore : IObjectStore
{
    private const int DeleteBatchSize = 1000;

    private readonly AmazonS3Client _client;
    private readonly S3Retry _retry;
    private readonly S3MultipartUpload _multipart;
    private volatile bool _bucketVerified;

    public S3ObjectStore(S3Location location, S3Settings settings)
    {
        Location = location;
        Settings = settings;
        _client = S3ClientFactory.Create(settings);
        _retry = new S3Retry(settings);
        _multipart = new S3MultipartUpload(_client, _retry, settings);
    }

    /// <summary>Opens <c>s3://bucket/prefix</c> with the given settings (stores from a URI alone come from <see cref="StoreRegistry"/>).</summary>
    public static S3ObjectStore Open(string uri, S3Settings settings) => new(S3Location.Parse(uri), settings);

    public S3Location Location { get; }
    public S3Settings Settings { get; }
    public string Uri => Location.Uri;
    public string Bucket => Location.Bucket;

    /// <summary>S3 requests sent by this store so far (retries included), for benchmarks.</summary>
    public long RequestCount => _retry.RequestCount;

    internal IAmazonS3 Client => _client;
    internal S3MultipartUpload Multipart => _multipart;

    public string UriOf(string key) => Location.UriOf(key);

    public ObjectLocation Locate(string key) => new ObjectLocation.S3Object(Bucket, Location.ObjectKey(key), Settings);

    public async Task<bool> ExistsAsync(string key, CancellationToken ct = default)
    {
        var objectKey = Location.ObjectKey(key);
        var found = await _retry.RunAsync(Call("HEAD", key), async t =>
        {
            try
            {
                await _client.GetObjectMetadataAsync(Bucket, objectKey, t).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }, ct).ConfigureAwait(false);
        // A HEAD answer has no body, so a missing bucket looks like a missing key: check the bucket once.
        if (!found) await VerifyBucketAsync(key, ct).ConfigureAwait(false);
        return found;
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct = default)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = Location.ListPrefix(prefix) };
        var call = new S3Call("ListObjectsV2", Bucket, $"s3://{Bucket}/{request.Prefix}", Settings.EndpointDescription);
        do
        {
            var page = await _retry.RunAsync(call, t => _client.ListObjectsV2Async(request, t), ct).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
                if (o.Key.Length > Location.Prefix.Length && !o.Key.EndsWith('/'))
                    keys.Add(Location.StoreKey(o.Key));
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (request.ContinuationToken is not null);
        _bucketVerified = true;
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken ct = default)
    {
        var call = Call("GetObject", key);
        var response = await _retry.RunAsync(call, t => GetObjectOnceAsync(key, t), ct).ConfigureAwait(false);
        return new S3ReadStream(response, call);
    }

    public async Task DownloadAsync(string key, string localPath, CancellationToken ct = default)
    {
        var target = Path.GetFullPath(localPath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        var call = Call("GetObject", key);
        try
        {
            // A body that breaks off is fetched again as a whole, with the same backoff as any request.
            await _retry.RunAsync(call, async t =>
            {
                using var response = await GetObjectOnceAsync(key, t).ConfigureAwait(false);
                await using var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await response.ResponseStream.CopyToAsync(file, 1 << 16, t).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public async Task PublishFileAsync(string key, string localPath, CancellationToken ct = default)
    {
        var info = new FileInfo(localPath);
        if (!info.Exists)
            throw new StoreException($"Cannot publish {UriOf(key)}: the local file '{localPath}' does not exist.");
        var objectKey = Location.ObjectKey(key);
        if (info.Length >= Math.Max(Settings.MultipartThreshold, 5L << 20))
        {
            await _multipart.UploadAsync(Bucket, objectKey, info.FullName, info.Length, Call("PutObject", key), ct).ConfigureAwait(false);
            return;
        }
        await _retry.RunAsync(Call("PutObject", key), async t =>
        {
            await using var body = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = Bucket,
                Key = objectKey,
                InputStream = body,
                AutoCloseStream = false,
                UseChunkEncoding = false,
            }, t).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    public Task DeleteAsync(string key, CancellationToken ct = default) =>
        _retry.RunAsync(Call("DeleteObject", key),
            t => _client.DeleteObjectAsync(Bucket, Location.ObjectKey(key), t), ct);

    public async Task DeletePrefixAsync(string prefix, CancellationToken ct = default)
    {
        var keys = await ListAsync(prefix, ct).ConfigureAwait(false);
        foreach (var batch in keys.Chunk(DeleteBatchSize))
        {
            var request = new DeleteObjectsRequest
            {
                BucketName = Bucket,
                Quiet = true,
                Objects = batch.Select(k => new KeyVersion { Key = Location.ObjectKey(k) }).ToList(),
            };
            var call = new S3Call("DeleteObjects", Bucket, $"s3://{Bucket}/{Location.ListPrefix(prefix)}", Settings.EndpointDescription);
            var response = await _retry.RunAsync(call, t => _client.DeleteObjectsAsync(request, t), ct).ConfigureAwait(false);
            if (response.DeleteErrors is { Count: > 0 } errors)
                throw new StoreException(
                    $"Deleting under {call.Uri} (endpoint {call.Endpoint}) failed for {errors.Count} object(s), e.g. " +
                    string.Join("; ", errors.Take(3).Select(e => $"{e.Key}: {e.Code} {e.Message}")));
        }
    }

    /// <summary>
    /// PUT with <c>If-None-Match: *</c>: false when the key exists (412). On AWS S3 this is atomic. On Swift it
    /// needs the proxy filter from scripts/swift and is not atomic under a race (see that file); servers that
    /// refuse conditional PUTs raise a <see cref="StoreException"/> saying so.
    /// </summary>
    public async Task<bool> TryCreateExclusiveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        var objectKey = Location.ObjectKey(key);
        var bytes = content.ToArray();
        var attempts = 0;
        var created = await _retry.RunAsync(Call("PutObject If-None-Match", key), async t =>
        {
            attempts++;
            try
            {
                await _client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = Bucket,
                    Key = objectKey,
                    InputStream = new MemoryStream(bytes, writable: false),
                    IfNoneMatch = "*",
                    UseChunkEncoding = false,
                }, t).ConfigureAwait(false);
                return (bool?)true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                // A retried PUT can find the object its own lost-answer attempt created.
                return attempts > 1 ? null : false;
            }
        }, ct).ConfigureAwait(false);
        return created ?? await HasContentAsync(key, bytes, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Aborts multipart uploads under <paramref name="prefix"/> started before <paramref name="olderThan"/> ago:
    /// the parts an upload leaves when its abort could not reach the server either. Returns how many.
    /// </summary>
    public async Task<int> AbortIncompleteUploadsAsync(string prefix, TimeSpan olderThan, CancellationToken ct = default)
    {
        var request = new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = Location.ListPrefix(prefix) };
        var call = new S3Call("ListMultipartUploads", Bucket, $"s3://{Bucket}/{request.Prefix}", Settings.EndpointDescription);
        var cutoff = DateTime.UtcNow - olderThan;
        var stale = new List<MultipartUpload>();
        do
        {
            var page = await _retry.RunAsync(call, t => _client.ListMultipartUploadsAsync(request, t), ct).ConfigureAwait(false);
            stale.AddRange((page.MultipartUploads ?? []).Where(u => u.Initiated is not { } started || started.ToUniversalTime() <= cutoff));
            request.KeyMarker = page.IsTruncated == true ? page.NextKeyMarker : null;
            request.UploadIdMarker = page.IsTruncated == true ? page.NextUploadIdMarker : null;
        } while (request.KeyMarker is not null);
        foreach (var upload in stale)
            await _retry.RunAsync(call with { Operation = "AbortMultipartUpload", Uri = $"s3://{Bucket}/{upload.Key}" },
                t => _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
                {
                    BucketName = Bucket, Key = upload.Key, UploadId = upload.UploadId,
                }, t), ct).ConfigureAwait(false);
        return stale.Count;
    }

    public void Dispose() => _client.Dispose();

    private async Task<GetObjectResponse> GetObjectOnceAsync(string key, CancellationToken ct)
    {
        try
        {
            return await _client.GetObjectAsync(Bucket, Location.ObjectKey(key), ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (S3Errors.IsCode(e, "NoSuchKey"))
        {
            throw new ObjectNotFoundException(UriOf(key));
        }
    }

    private async Task<bool> HasContentAsync(string key, byte[] expected, CancellationToken ct)
    {
        await using var stream = await OpenReadAsync(key, ct).ConfigureAwait(false);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, ct).ConfigureAwait(false);
        return copy.GetBuffer().AsSpan(0, (int)copy.Length).SequenceEqual(expected);
    }

    private async Task VerifyBucketAsync(string key, CancellationToken ct)
    {
        if (_bucketVerified) return;
        await _retry.RunAsync(Call("HeadBucket", key), async t =>
        {
            try
            {
                await _client.HeadBucketAsync(new HeadBucketRequest { BucketName = Bucket }, t).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                throw S3Errors.Translate(new AmazonS3Exception("NoSuchBucket", e) { ErrorCode = "NoSuchBucket", StatusCode = e.StatusCode },
                    Call("HEAD", key), 1);
            }
        }, ct).ConfigureAwait(false);
        _bucketVerified = true;
    }

    private S3Call Call(string operation, string key) => new(operation, Bucket, UriOf(key), Settings.EndpointDescription);
}
