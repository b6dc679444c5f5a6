using System.Collections.Concurrent;
using System.Reflection;
using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Plugins;

/// <summary>
/// Tasks from assemblies named at run time, as <c>luigi --module</c>: <c>--assembly path/to/MyTasks.dll</c>
/// (repeatable, anywhere on the command line) and <c>DETECT_ASSEMBLIES</c> (paths separated by
/// <see cref="Path.PathSeparator"/>). Each problem — a missing file, a file that is not an assembly, an assembly
/// without tasks, a task whose name the program already uses — is a <see cref="ParameterException"/> (exit 2).
/// </summary>
public static class TaskAssemblies
{
    public const string OptionName = "--assembly";
    public const string EnvironmentVariable = "DETECT_ASSEMBLIES";

    // One load per file and process: a second command in the same process finds the same types (no clash with itself).
    private static readonly ConcurrentDictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);

    /// <summary>
    /// Removes every <c>--assembly PATH</c> (or <c>--assembly=PATH</c>) from <paramref name="args"/>, loads those
    /// assemblies and the ones <paramref name="environmentValue"/> lists, registers their tasks, and returns the
    /// remaining arguments.
    /// </summary>
    public static string[] LoadInto(TaskRegistry registry, IReadOnlyList<string> args, string? environmentValue)
    {
        var rest = new List<string>(args.Count);
        var sources = new List<(string Path, string Origin)>();
        foreach (var entry in (environmentValue ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            sources.Add((entry, $"{EnvironmentVariable} entry '{entry}'"));
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == OptionName)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new ParameterException($"{OptionName} needs the path of a workflow assembly, e.g. {OptionName} bin/Release/net10.0/MyTasks.dll.");
                var path = args[++i];
                sources.Add((path, $"{OptionName} {path}"));
            }
            else if (arg.StartsWith(OptionName + "=", StringComparison.Ordinal))
                sources.Add((arg[(OptionName.Length + 1)..], arg));
            else rest.Add(arg);
        }
        foreach (var (path, origin) in sources.DistinctBy(s => Path.GetFullPath(s.Path)))
            Register(registry, Load(path, origin), origin);
        return [.. rest];
    }

    private static Assembly Load(string path, string origin)
    {
        var full = Path.GetFullPath(path);
        if (Loaded.TryGetValue(full, out var known)) return known;
        if (!File.Exists(full))
            throw new ParameterException(Directory.Exists(full)
                ? $"{origin}: is a folder; give the .dll inside it that your workflow project builds, e.g. {Path.Combine(path, "MyTasks.dll")}."
                : $"{origin}: no such file ({full}). Build your workflow (dotnet build -c Release) and give the path of its .dll, e.g. bin/Release/net10.0/MyTasks.dll.");
        try { AssemblyName.GetAssemblyName(full); }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            throw new ParameterException($"{origin}: {full} is not a .NET assembly. Give the .dll your workflow project builds (not its native launcher or a source file).");
        }
        var assembly = new TaskAssemblyLoadContext(full).LoadFromAssemblyPath(full);
        return Loaded.GetOrAdd(full, assembly);
    }

    private static void Register(TaskRegistry registry, Assembly assembly, string origin)
    {
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e)
        {
            var first = e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message ?? "unknown reason";
            throw new ParameterException($"{origin}: its types could not be loaded ({first}). Is a dependency missing beside it, or was it built against another Detect.Engine version than {EngineVersion}?");
        }
        var tasks = types.Where(TaskRegistry.IsTaskType).ToList();
        if (tasks.Count == 0)
            throw new ParameterException(
                $"{origin}: {assembly.GetName().Name} defines no tasks (non-abstract classes deriving from Detect.Engine.WorkflowTask with a parameterless constructor)" +
                (ReferencesEngine(assembly) ? "." : $"; it does not reference Detect.Engine {EngineVersion}."));
        foreach (var type in tasks)
        {
            var family = TaskSchema.Of(type).Family;
            if (registry.Find(family) is { } existing && existing.Type != type)
                throw new ParameterException(
                    $"{origin}: task '{family}' ({type.FullName}) clashes with the program's task '{existing.Family}' ({existing.Type.FullName}). " +
                    $"Rename the class or give it another name with [TaskFamily(\"…\")].");
        }
        foreach (var type in tasks) registry.Register(type);
    }

    private static bool ReferencesEngine(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Any(r => r.Name == typeof(WorkflowTask).Assembly.GetName().Name);

    /// <summary>The engine's version, as its package is numbered (no source revision suffix).</summary>
    public static string EngineVersion =>
        (typeof(WorkflowTask).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
         ?? typeof(WorkflowTask).Assembly.GetName().Version?.ToString() ?? "").Split('+')[0];
}
