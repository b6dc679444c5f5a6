using System.Collections.Concurrent;
using Amazon.S3;
using Amazon.S3.Model;

namespace Detect.Engine.Storage.S3;

/// <summary>
/// Uploads a large local file in parts. The object only appears when CompleteMultipartUpload succeeds, so a
/// reader never sees it partially; any failure or cancellation aborts the upload so no parts are left behind
/// (unless the server is unreachable at that moment too — then the server's own cleanup has to remove them,
/// e.g. an AbortIncompleteMultipartUpload lifecycle rule on AWS).
/// Every UploadPart is sent with <c>UseChunkEncoding = false</c>: servers such as Swift answer aws-chunked
/// payloads with 501.
/// </summary>
internal sealed class S3MultipartUpload(IAmazonS3 client, S3Retry retry, S3Settings settings)
{
    /// <summary>Test hook: runs after each part is stored (part number, token).</summary>
    internal Func<int, CancellationToken, Task>? PartUploaded { get; set; }

    public async Task UploadAsync(string bucket, string objectKey, string localPath, long length, S3Call call, CancellationToken ct)
    {
        var init = await retry.RunAsync(call with { Operation = "InitiateMultipartUpload" },
            t => client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = objectKey }, t),
            ct).ConfigureAwait(false);
        var uploadId = init.UploadId;
        try
        {
            var parts = await UploadPartsAsync(bucket, objectKey, uploadId, localPath, length, call, ct).ConfigureAwait(false);
            var complete = new CompleteMultipartUploadRequest { BucketName = bucket, Key = objectKey, UploadId = uploadId };
            complete.AddPartETags(parts.OrderBy(p => p.PartNumber));
            await retry.RunAsync(call with { Operation = "CompleteMultipartUpload" },
                t => client.CompleteMultipartUploadAsync(complete, t), ct).ConfigureAwait(false);
        }
        catch
        {
            await AbortQuietlyAsync(bucket, objectKey, uploadId, call).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<IReadOnlyCollection<PartETag>> UploadPartsAsync(
        string bucket, string objectKey, string uploadId, string localPath, long length, S3Call call, CancellationToken ct)
    {
        var partSize = Math.Max(settings.PartSize, 5L << 20);
        var partCount = (int)((length + partSize - 1) / partSize);
        var etags = new ConcurrentBag<PartETag>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.PartUploadConcurrency), CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(1, partCount), options, async (partNumber, t) =>
        {
            var offset = (partNumber - 1) * partSize;
            var size = Math.Min(partSize, length - offset);
            var response = await retry.RunAsync(call with { Operation = $"UploadPart {partNumber}/{partCount}" }, rt =>
                client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket,
                    Key = objectKey,
                    UploadId = uploadId,
                    PartNumber = partNumber,
                    FilePath = localPath,
                    FilePosition = offset,
                    PartSize = size,
                    IsLastPart = partNumber == partCount,
                    UseChunkEncoding = false,
                }, rt), t).ConfigureAwait(false);
            etags.Add(new PartETag(partNumber, response.ETag));
            if (PartUploaded is { } hook) await hook(partNumber, t).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return etags;
    }

    private async Task AbortQuietlyAsync(string bucket, string objectKey, string uploadId, S3Call call)
    {
        // The caller's token may be the reason we are here, so the abort gets its own short deadline.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await retry.RunAsync(call with { Operation = "AbortMultipartUpload" },
                t => client.AbortMultipartUploadAsync(
                    new AbortMultipartUploadRequest { BucketName = bucket, Key = objectKey, UploadId = uploadId }, t),
                deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreException or OperationCanceledException)
        {
            // Best effort: the original failure is what the caller needs to see.
        }
    }
}
