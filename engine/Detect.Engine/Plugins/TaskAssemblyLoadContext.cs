using System.Reflection;
using System.Runtime.Loader;

namespace Detect.Engine.Plugins;

/// <summary>
/// Loads a workflow assembly given with <c>--assembly</c> (or <c>DETECT_ASSEMBLIES</c>) and its own dependencies.
/// The host wins for every assembly it can load itself: above all Detect.Engine, so the loaded task types derive
/// from the host's <see cref="WorkflowTask"/> (a second copy of the engine would make them unrelated types).
/// </summary>
internal sealed class TaskAssemblyLoadContext(string assemblyPath)
    : AssemblyLoadContext("tasks:" + Path.GetFileName(assemblyPath))
{
    private readonly AssemblyDependencyResolver _resolver = new(assemblyPath);

    protected override Assembly? Load(AssemblyName name)
    {
        try { return Default.LoadFromAssemblyName(name); }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException) { /* not the host's: the workflow's own */ }
        return _resolver.ResolveAssemblyToPath(name) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
}
