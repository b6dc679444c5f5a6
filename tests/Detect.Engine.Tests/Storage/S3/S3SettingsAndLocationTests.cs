using System.Net;
using Amazon.S3;
using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;

namespace Detect.Engine.Tests.Storage.S3;

/// <summary>Parsing and policy pieces that need no server.</summary>
public sealed class S3SettingsAndLocationTests
{
    [Theory]
    [InlineData("s3://bucket", "bucket", "", "s3://bucket")]
    [InlineData("s3://my-bucket.data/runs/", "my-bucket.data", "runs/", "s3://my-bucket.data/runs")]
    [InlineData("S3://bkt/a/b", "bkt", "a/b/", "s3://bkt/a/b")]
    public void Parses_bucket_and_prefix(string uri, string bucket, string prefix, string canonical)
    {
        var location = S3Location.Parse(uri);
        location.Bucket.Should().Be(bucket);
        location.Prefix.Should().Be(prefix);
        location.Uri.Should().Be(canonical);
        location.UriOf("runs/x/y.json").Should().Be($"s3://{bucket}/{prefix}runs/x/y.json");
        location.StoreKey(location.ObjectKey("/k/v")).Should().Be("k/v");
    }

    [Theory]
    [InlineData("s3://", "not a valid S3 bucket name")]
    [InlineData("s3://Upper/x", "not a valid S3 bucket name")]
    [InlineData("s3://bucket/a//b", "must not contain empty")]
    [InlineData("s3://bucket/a/../b", "must not contain empty, '.' or '..'")]
    [InlineData("file:///tmp", "not an S3 URI")]
    public void Rejects_bad_uris_with_the_reason(string uri, string reason) =>
        FluentActions.Invoking(() => S3Location.Parse(uri)).Should().Throw<StoreException>()
            .Which.Message.Should().Contain(reason).And.Contain($"'{uri}'");

    [Fact]
    public void Settings_come_from_the_standard_aws_variables()
    {
        var env = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://generic:1",
            ["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:39080/",
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "super-secret-value",
            ["AWS_SESSION_TOKEN"] = "session-token-value",
            ["AWS_DEFAULT_REGION"] = "eu-west-1",
        };
        var settings = S3Settings.FromEnvironment(n => env.GetValueOrDefault(n));

        settings.Endpoint.Should().Be("http://127.0.0.1:39080", "the S3-specific endpoint wins over AWS_ENDPOINT_URL");
        settings.Region.Should().Be("eu-west-1");
        settings.AccessKeyId.Should().Be("AKIDEXAMPLE");
        settings.SecretAccessKey.Should().Be("super-secret-value");
        settings.SessionToken.Should().Be("session-token-value");
        settings.ToString().Should().Contain("AKIDEXAMPLE").And.NotContain("super-secret-value").And.NotContain("session-token-value");

        env["AWS_REGION"] = "us-west-2";
        env.Remove("AWS_ENDPOINT_URL_S3");
        var generic = S3Settings.FromEnvironment(n => env.GetValueOrDefault(n));
        generic.Region.Should().Be("us-west-2", "AWS_REGION wins over AWS_DEFAULT_REGION");
        generic.Endpoint.Should().Be("http://generic:1");
        S3Settings.FromEnvironment(_ => null).Should().Match<S3Settings>(s => s.Endpoint == null && s.Region == "us-east-1" && s.AccessKeyId == null);
    }

    [Fact]
    public void Settings_reject_half_credentials_and_bad_endpoints_without_echoing_the_secret()
    {
        FluentActions.Invoking(() => S3Settings.FromEnvironment(n => n == "AWS_SECRET_ACCESS_KEY" ? "lonely-secret" : null))
            .Should().Throw<StoreException>().Which.Message.Should().Contain("AWS_ACCESS_KEY_ID").And.NotContain("lonely-secret");
        FluentActions.Invoking(() => S3Settings.FromEnvironment(n => n == "AWS_ENDPOINT_URL_S3" ? "localhost-without-scheme" : null))
            .Should().Throw<StoreException>().Which.Message.Should().Contain("localhost-without-scheme").And.Contain("absolute URL");
    }

    [Fact]
    public void Backoff_grows_exponentially_with_jitter_and_is_capped()
    {
        var retry = new S3Retry(new S3Settings { RetryBaseDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromSeconds(1) });
        for (var i = 0; i < 20; i++)
        {
            retry.Backoff(1).TotalMilliseconds.Should().BeInRange(50, 100);
            retry.Backoff(3).TotalMilliseconds.Should().BeInRange(200, 400);
            retry.Backoff(10).TotalMilliseconds.Should().BeInRange(500, 1000);
        }
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "SlowDown", true)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", true)]
    [InlineData(HttpStatusCode.TooManyRequests, "TooManyRequests", true)]
    [InlineData(HttpStatusCode.BadRequest, "RequestTimeout", true)]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", false)]
    [InlineData(HttpStatusCode.NotFound, "NoSuchBucket", false)]
    [InlineData(HttpStatusCode.PreconditionFailed, "PreconditionFailed", false)]
    public void Retries_server_errors_and_throttling_but_not_client_errors(HttpStatusCode status, string code, bool transient) =>
        S3Errors.IsTransient(new AmazonS3Exception("x") { StatusCode = status, ErrorCode = code }).Should().Be(transient);

    [Fact]
    public void Retries_connection_failures()
    {
        S3Errors.IsTransient(new HttpRequestException("refused", new System.Net.Sockets.SocketException(111))).Should().BeTrue();
        S3Errors.IsTransient(new IOException("reset")).Should().BeTrue();
        S3Errors.IsTransient(new InvalidOperationException("bug")).Should().BeFalse();
    }
}
