namespace Detect.Tasks;

/// <summary>Anchors this assembly for task discovery.</summary>
public static class TasksAssembly
{
    public static System.Reflection.Assembly Assembly => typeof(TasksAssembly).Assembly;
}
