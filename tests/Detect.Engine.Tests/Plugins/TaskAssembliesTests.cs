using Detect.Engine.Cli;
using Detect.Engine.Plugins;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Tests.Plugins;

/// <summary>
/// <c>--assembly</c> / <c>DETECT_ASSEMBLIES</c>: tasks loaded at run time into their own load context, sharing the
/// host's engine. The workflow assembly here is this test assembly, loaded into a program that does not have it.
/// </summary>
public sealed class TaskAssembliesTests : IDisposable
{
    private static readonly string ThisAssembly = typeof(TaskAssembliesTests).Assembly.Location;
    private readonly string _dir = Directory.CreateTempSubdirectory("detect-assemblies-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> Program(TaskRegistry registry, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await new CliApp(registry) { Out = stdout, Error = stderr }.RunAsync(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Tasks_of_an_assembly_given_with_assembly_are_listed_and_run()
    {
        var (listed, list, _) = await Program(new TaskRegistry(), "list", "--assembly", ThisAssembly);
        listed.Should().Be(0);
        list.Should().Contain(nameof(Step)).And.Contain(nameof(DiamondTop));

        var store = Path.Combine(_dir, "store");
        var (ran, output, err) = await Program(new TaskRegistry(), "run", "--assembly", ThisAssembly, nameof(Step),
            "--scope", "sdk", "--name", "loaded", "--store", store, "--no-history");
        ran.Should().Be(0, err);
        output.Should().Contain("Result: success");
        File.ReadAllText(Path.Combine(store, "runs", "sdk", "loaded.txt")).Should().Be("loaded<>");
    }

    [Fact]
    public void The_loaded_task_types_derive_from_the_hosts_engine_and_the_option_is_removed_from_the_arguments()
    {
        var registry = new TaskRegistry();
        var rest = TaskAssemblies.LoadInto(registry, ["run", $"--assembly={ThisAssembly}", "Step", "--name", "x"], null);

        rest.Should().Equal("run", "Step", "--name", "x");
        var schema = registry.Find(nameof(Step))!;
        schema.Type.Should().NotBe<Step>("it comes from its own load context");
        typeof(WorkflowTask).IsAssignableFrom(schema.Type).Should().BeTrue("the engine is the host's, not a second copy");
    }

    [Fact]
    public void DETECT_ASSEMBLIES_lists_paths_separated_by_the_path_separator()
    {
        var registry = new TaskRegistry();
        TaskAssemblies.LoadInto(registry, [], $"{ThisAssembly}{Path.PathSeparator}{ThisAssembly}");
        registry.Find(nameof(AllTypes)).Should().NotBeNull();
    }

    [Fact]
    public async Task A_missing_file_exits_2_naming_it()
    {
        var (code, _, err) = await Program(new TaskRegistry(), "run", "--assembly", Path.Combine(_dir, "MyTasks.dll"), "Step");
        code.Should().Be(2);
        err.Should().Contain("--assembly").And.Contain("MyTasks.dll").And.Contain("no such file").And.NotContain("   at ");
    }

    [Fact]
    public async Task A_file_that_is_not_an_assembly_exits_2()
    {
        var notes = Path.Combine(_dir, "notes.dll");
        await File.WriteAllTextAsync(notes, "not a PE file");
        var (code, _, err) = await Program(new TaskRegistry(), "list", "--assembly", notes);
        code.Should().Be(2);
        err.Should().Contain(notes).And.Contain("is not a .NET assembly");
    }

    [Fact]
    public async Task An_assembly_without_tasks_exits_2()
    {
        var fluent = typeof(AssertionExtensions).Assembly.Location;
        var (code, _, err) = await Program(new TaskRegistry(), "list", "--assembly", fluent);
        code.Should().Be(2);
        err.Should().Contain("FluentAssertions defines no tasks").And.Contain("does not reference Detect.Engine");
    }

    [Fact]
    public async Task A_task_whose_name_the_program_already_has_exits_2_naming_both()
    {
        var (code, _, err) = await Program(new TaskRegistry(typeof(Step).Assembly), "list", "--assembly", ThisAssembly);
        code.Should().Be(2);
        err.Should().Contain("clashes with the program's task").And.Contain("[TaskFamily");
    }

    [Fact]
    public async Task The_option_without_a_path_exits_2()
    {
        var (code, _, err) = await Program(new TaskRegistry(), "list", "--assembly");
        code.Should().Be(2);
        err.Should().Contain("--assembly needs the path");
    }

    [Fact]
    public async Task A_bad_DETECT_ASSEMBLIES_entry_is_named_as_such()
    {
        var act = () => TaskAssemblies.LoadInto(new TaskRegistry(), ["list"], Path.Combine(_dir, "gone.dll"));
        act.Should().Throw<global::Detect.Engine.Parameters.ParameterException>().WithMessage("DETECT_ASSEMBLIES entry*gone.dll*no such file*");
        await Task.CompletedTask;
    }
}
