namespace Detect.Engine.Storage.S3;

/// <summary>
/// S3 and S3-compatible servers: <c>s3://bucket/prefix</c>, reached with the settings of <paramref name="settings"/>
/// (default <see cref="S3Settings.FromEnvironment()"/>, the standard AWS variables: the one place they are read).
/// </summary>
public sealed class S3StoreProvider(Func<S3Settings>? settings = null) : IStoreProvider
{
    private readonly Func<S3Settings> _settings = settings ?? S3Settings.FromEnvironment;

    public string Scheme => "s3";
    public string Form => "s3://bucket/prefix";
    public IObjectStore Open(StoreUri uri) => new S3ObjectStore(S3Location.From(uri), _settings());
}
