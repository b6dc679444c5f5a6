using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Detect.Engine.Storage.S3;

/// <summary>What a request was doing, for error messages: operation, bucket, object URI and endpoint.</summary>
internal sealed record S3Call(string Operation, string Bucket, string Uri, string Endpoint);

/// <summary>
/// Classifies SDK and network failures (retry or not) and turns them into <see cref="StoreException"/>s that
/// name the bucket, the object and the endpoint, and say what to fix. Messages are built only from the
/// call description, status codes and server/network messages, so credentials never reach them.
/// </summary>
internal static class S3Errors
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests",
        "RequestTimeout", "InternalError", "ServiceUnavailable",
    };

    private static readonly HashSet<string> AccessCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken",
    };

    public static bool IsStatus(Exception e, HttpStatusCode status) =>
        e is AmazonServiceException s && s.StatusCode == status;

    public static bool IsCode(Exception e, string code) =>
        e is AmazonServiceException s && string.Equals(s.ErrorCode, code, StringComparison.OrdinalIgnoreCase);

    /// <summary>5xx, throttling and connection-level failures are worth retrying; 4xx answers are not.</summary>
    public static bool IsTransient(Exception e)
    {
        if (e is AmazonServiceException s && (int)s.StatusCode != 0)
            return (int)s.StatusCode >= 500 || (int)s.StatusCode == 429 || (s.ErrorCode is { } code && TransientCodes.Contains(code));
        return IsNetworkFailure(e) || (e is AmazonServiceException { ErrorCode: { } c } && TransientCodes.Contains(c));
    }

    /// <summary>The server could not be reached or the connection broke (refused, reset, timed out).</summary>
    public static bool IsNetworkFailure(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is HttpRequestException or SocketException or IOException or TimeoutException or TaskCanceledException)
                return true;
        return false;
    }

    public static StoreException Translate(Exception e, S3Call call, int attempts)
    {
        var where = $"{call.Operation} {call.Uri} (bucket '{call.Bucket}', endpoint {call.Endpoint})";
        var tries = attempts == 1 ? "" : $" after {attempts} attempts";
        if (e is AmazonServiceException s && (int)s.StatusCode != 0)
        {
            var status = $"HTTP {(int)s.StatusCode} {s.ErrorCode}".TrimEnd();
            if (IsCode(s, "NoSuchBucket"))
                return new StoreException(
                    $"The S3 bucket '{call.Bucket}' does not exist at {call.Endpoint} ({call.Operation} {call.Uri}): " +
                    "create the bucket or correct the store URI.", e);
            if (s.StatusCode == HttpStatusCode.Forbidden || (s.ErrorCode is { } code && AccessCodes.Contains(code)))
                return new StoreException(
                    $"Access denied: {where} was refused with {status}. Check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY " +
                    "(and AWS_SESSION_TOKEN) and that this identity may use the bucket.", e);
            if (s.StatusCode == HttpStatusCode.NotImplemented)
                return new StoreException(
                    $"The S3 server does not support {where}: {status} {s.Message}", e);
            if ((int)s.StatusCode >= 500 || IsTransient(s))
                return new StoreException($"The S3 server kept failing {where}{tries}: {status} {s.Message}", e);
            return new StoreException($"S3 {where} failed: {status} {s.Message}", e);
        }
        if (e is AmazonClientException && e.Message.StartsWith("Failed to resolve AWS credentials", StringComparison.Ordinal))
            // The SDK lists every provider it tried over many lines; the fix is one of two variables (or a profile).
            return new StoreUsageException(
                $"No AWS credentials for bucket '{call.Bucket}' at {call.Endpoint}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY " +
                "(or AWS_PROFILE, or run where an instance role provides them).", e);
        if (IsNetworkFailure(e))
            return new StoreException(
                $"Cannot reach the S3 endpoint {call.Endpoint} for bucket '{call.Bucket}' ({call.Operation} {call.Uri}){tries}: " +
                $"{RootMessage(e)}. Check AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL and that the server is running.", e);
        return new StoreException($"S3 {where} failed: {RootMessage(e)}", e);
    }

    private static string RootMessage(Exception e)
    {
        var x = e;
        while (x.InnerException is not null) x = x.InnerException;
        return x.Message.TrimEnd('.');
    }
}
