using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using Amazon.S3.Model;

namespace Detect.Engine.Storage.S3;

/// <summary>
/// Builds an <see cref="AmazonS3Client"/> with the settings real non-AWS servers (OpenStack Swift's s3api,
/// MinIO, Ceph) need and AWS tolerates: path-style addressing, checksums only where an operation requires
/// them, no SDK-level retries (the store retries itself), and Content-MD5 on DeleteObjects.
/// </summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(S3Settings settings)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
            ConnectTimeout = settings.ConnectTimeout,
            Timeout = settings.RequestTimeout,
        };
        if (settings.Endpoint is not null)
        {
            config.ServiceURL = settings.Endpoint;
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }

        if (settings.AccessKeyId is null) return new CompatibleS3Client(config);
        AWSCredentials credentials = settings.SessionToken is null
            ? new BasicAWSCredentials(settings.AccessKeyId, settings.SecretAccessKey)
            : new SessionAWSCredentials(settings.AccessKeyId, settings.SecretAccessKey, settings.SessionToken);
        return new CompatibleS3Client(credentials, config);
    }

    private sealed class CompatibleS3Client : AmazonS3Client
    {
        public CompatibleS3Client(AmazonS3Config config) : base(config) { }
        public CompatibleS3Client(AWSCredentials credentials, AmazonS3Config config) : base(credentials, config) { }

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            base.CustomizeRuntimePipeline(pipeline);
            pipeline.AddHandlerBefore<Signer>(new DeleteObjectsContentMd5Handler());
        }
    }

    /// <summary>
    /// SDK v4 sends a CRC32 checksum with DeleteObjects; S3 servers that predate flexible checksums (Swift's
    /// s3api) insist on Content-MD5 and answer 400 without it. The request shape has no ContentMD5 member,
    /// so the header is added to the marshalled request before it is signed.
    /// </summary>
    private sealed class DeleteObjectsContentMd5Handler : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            AddContentMd5(executionContext);
            base.InvokeSync(executionContext);
        }

        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            AddContentMd5(executionContext);
            return base.InvokeAsync<T>(executionContext);
        }

        private static void AddContentMd5(IExecutionContext context)
        {
            var request = context.RequestContext.Request;
            if (context.RequestContext.OriginalRequest is not DeleteObjectsRequest || request.Headers.ContainsKey("Content-MD5"))
                return;
            byte[] md5;
            if (request.Content is { } body)
                md5 = MD5.HashData(body);
            else if (request.ContentStream is { CanSeek: true } stream)
            {
                var position = stream.Position;
                md5 = MD5.HashData(stream);
                stream.Position = position;
            }
            else return;
            request.Headers["Content-MD5"] = Convert.ToBase64String(md5);
        }
    }
}
