using Amazon.S3.Model;

namespace Detect.Engine.Storage.S3;

/// <summary>
/// The body of a GetObject response, streamed. Owns the response (disposing the stream releases the
/// connection) and turns a connection that breaks mid-body into a <see cref="StoreException"/> naming the object.
/// </summary>
internal sealed class S3ReadStream(GetObjectResponse response, S3Call call) : Stream
{
    private readonly Stream _body = response.ResponseStream;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => response.ContentLength;
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try { return _body.Read(buffer); }
        catch (Exception e) when (e is not OperationCanceledException) { throw Broken(e); }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        try { return await _body.ReadAsync(buffer, ct).ConfigureAwait(false); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
        catch (Exception e) { throw Broken(e); }
    }

    private StoreException Broken(Exception e) =>
        new($"Reading {call.Uri} (bucket '{call.Bucket}', endpoint {call.Endpoint}) broke off mid-stream: " +
            $"{e.Message.TrimEnd('.')}. The object is intact; read it again once the server is reachable.", e);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            response.Dispose();
        }
        base.Dispose(disposing);
    }
}
