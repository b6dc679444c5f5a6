namespace Detect.Engine.Storage;

/// <summary>
/// The store as given cannot be used at all — a URI of no known form, a local path under a regular file or in a
/// folder this user may not write, S3 settings that contradict each other — found before any request or task.
/// The CLI treats it as a usage error (exit 2): the fix is in the command line or the environment.
/// </summary>
public sealed class StoreUsageException(string message, Exception? inner = null) : StoreException(message, inner);
