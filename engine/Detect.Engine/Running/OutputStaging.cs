namespace Detect.Engine;

/// <summary>
/// Local files a task writes its outputs to. Nothing reaches the store until <see cref="PublishAsync"/>,
/// which the scheduler calls only after the task succeeded; a failed task's staging is deleted whole.
/// The folder is taken on first use (a task that stages nothing costs no file-system calls) from
/// <see cref="StagingFolders"/>, and a staged file keeps its target's file name (GDAL and others infer formats from it).
/// </summary>
internal sealed class OutputStaging : IDisposable
{
    private readonly StagingFolders _folders;
    private string? _root;
    private readonly Dictionary<Target, string> _files = new();
    private readonly Dictionary<FlagTarget, string> _directories = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public OutputStaging(StagingFolders folders)
    {
        _folders = folders;
    }

    public string ScratchDirectory
    {
        get
        {
            var scratch = Path.Combine(Root(), "scratch");
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
            // Outputs with the same file name (in different folders) each get a numbered subfolder.
            string path;
            if (_names.Add(name) && name is not ("scratch" or "dirs")) path = Path.Combine(Root(), name);
            else
            {
                path = Path.Combine(Root(), "files", _files.Count.ToString(), name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            }
            _files[target] = path;
            return path;
        }
    }

    public string DirectoryFor(FlagTarget target)
    {
        lock (_lock)
        {
            if (_directories.TryGetValue(target, out var existing)) return existing;
            var path = Path.Combine(Root(), "dirs", _directories.Count.ToString());
            Directory.CreateDirectory(path);
            _directories[target] = path;
            return path;
        }
    }

    /// <summary>
    /// Publishes <paramref name="first"/> (e.g. the dependency manifest), then every staged file, then each
    /// directory's files followed by its marker. A declared output that was never written is an error.
    /// Staged files are moved into the store where it can (a local store on the same file system).
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
        foreach (var (target, path) in first) await resolver.PublishStagedFileAsync(target, path, ct);
        foreach (var (target, path) in _files) await resolver.PublishStagedFileAsync(target, path, ct);
        foreach (var (flag, directory) in _directories)
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
                await resolver.PublishStagedFileAsync(new StoreTarget(flag.Prefix + relative, flag.StoreUri), file, ct);
            }
            var marker = Path.Combine(Root(), "marker-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(marker, "", ct);
            await resolver.PublishStagedFileAsync(flag.Marker, marker, ct);
        }
    }

    private string Root()
    {
        lock (_lock) return _root ??= _folders.Rent();
    }

    /// <summary>Deletes whatever the attempt left (the folder itself is reused when it is empty).</summary>
    public void Dispose()
    {
        string? root;
        lock (_lock) (root, _root) = (_root, null);
        if (root is not null) _folders.Return(root);
    }
}
