namespace Detect.Engine;

/// <summary>
/// Local files a task writes its outputs to. Nothing reaches the store until <see cref="PublishAsync"/>,
/// which the scheduler calls only after the task succeeded; a failed task's staging is deleted whole.
/// </summary>
internal sealed class OutputStaging : IDisposable
{
    private readonly string _root;
    private readonly Dictionary<Target, string> _files = new();
    private readonly Dictionary<FlagTarget, string> _directories = new();
    private readonly Lock _lock = new();

    public OutputStaging(string stagingRoot)
    {
        _root = Path.Combine(stagingRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    public string ScratchDirectory
    {
        get
        {
            var scratch = Path.Combine(_root, "scratch");
            Directory.CreateDirectory(scratch);
            return scratch;
        }
    }

    public string PathFor(Target target)
    {
        if (target is FlagTarget flag)
            throw new ArgumentException($"{flag.Identity} is a directory target: use StageDirectory.");
        lock (_lock)
        {
            if (_files.TryGetValue(target, out var existing)) return existing;
            var name = target switch
            {
                StoreTarget s => Path.GetFileName(s.Key),
                LocalFileTarget l => Path.GetFileName(l.Path),
                _ => "output",
            };
            var path = Path.Combine(_root, "files", _files.Count.ToString(), name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            _files[target] = path;
            return path;
        }
    }

    public string DirectoryFor(FlagTarget target)
    {
        lock (_lock)
        {
            if (_directories.TryGetValue(target, out var existing)) return existing;
            var path = Path.Combine(_root, "dirs", _directories.Count.ToString());
            Directory.CreateDirectory(path);
            _directories[target] = path;
            return path;
        }
    }

    /// <summary>
    /// Publishes <paramref name="first"/> (e.g. the dependency manifest), then every staged file, then each
    /// directory's files followed by its marker. A declared output that was never written is an error.
    /// </summary>
    public async Task PublishAsync(TargetResolver resolver, IReadOnlyList<Target> declaredOutputs,
        IReadOnlyList<(Target Target, string Path)> first, CancellationToken ct)
    {
        foreach (var output in declaredOutputs)
        {
            var written = output switch
            {
                FlagTarget f => _directories.ContainsKey(f),
                _ => _files.TryGetValue(output, out var p) && File.Exists(p),
            };
            if (!written)
                throw new InvalidOperationException(
                    $"Task finished without writing its output {resolver.UriOf(output)} (write it through context.StagePath).");
        }
        foreach (var (target, path) in first) await resolver.PublishFileAsync(target, path, ct);
        foreach (var (target, path) in _files) await resolver.PublishFileAsync(target, path, ct);
        foreach (var (flag, directory) in _directories)
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
                await resolver.PublishFileAsync(new StoreTarget(flag.Prefix + relative, flag.StoreUri), file, ct);
            }
            var marker = Path.Combine(_root, "marker-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(marker, "", ct);
            await resolver.PublishFileAsync(flag.Marker, marker, ct);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
