using Detect.Engine.Cli;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Tests.Export;

/// <summary>`detect export cwl` in process: the document it writes, what it leaves out, and its bad inputs.</summary>
public sealed class CwlExportTests : IDisposable
{
    private readonly TempStore _env = new();
    private string Scope => _env.Scope;

    public void Dispose()
    {
        _env.Dispose();
        if (Directory.Exists(CwlSeedCache.FolderOf(Scope))) Directory.Delete(CwlSeedCache.FolderOf(Scope), recursive: true);
    }

    private static Task<(int Code, string Out, string Err)> Cli(params string[] args) => TestCli.RunAsync(args);

    private Task<(int Code, string Out, string Err)> Export(params string[] extra) =>
        Cli(["export", "cwl", nameof(CwlReport), "--scope", Scope, "--store", _env.Store.Root, .. extra]);

    private Task SeedAsync() => _env.Store.TryCreateExclusiveAsync(CwlSeed.TargetFor(Scope).Key, "seed-42"u8.ToArray());

    private async Task<CwlDocumentView> ExportedAsync(params string[] extra)
    {
        var (code, stdout, stderr) = await Export(["--no-container", .. extra]);
        code.Should().Be(0, stderr);
        return new CwlDocumentView(stdout);
    }

    [Fact]
    public async Task A_three_level_graph_becomes_one_scattered_step_per_family_and_depth()
    {
        await SeedAsync();
        var cwl = await ExportedAsync();

        cwl.CwlVersion.Should().Be("v1.2");
        cwl.StepIds.Should().Equal(nameof(CwlItem), nameof(CwlGroup), nameof(CwlReport));
        cwl.Parameters(nameof(CwlItem)).Should().HaveCount(6, "3 groups × 2 items, planned from the parameters");
        cwl.Parameters(nameof(CwlGroup)).Should().HaveCount(3);
        cwl.Parameters(nameof(CwlReport)).Should().ContainSingle();
        cwl.After(nameof(CwlItem)).Should().BeEmpty();
        cwl.After(nameof(CwlGroup)).Should().Equal(nameof(CwlItem));
        cwl.After(nameof(CwlReport)).Should().Equal(nameof(CwlGroup));
        foreach (var step in cwl.StepIds)
        {
            cwl.Step(step)["scatter"].Should().Be("commands");
            cwl.Family(step).Should().Be(step);
            cwl.Commands(step).Should().OnlyContain(words =>
                words.Take(6).SequenceEqual(new[] { "detect", "run", step, "--no-deps", "--workers", "1" }) &&
                words.TakeLast(2).SequenceEqual(new[] { "--store", "\"$DETECT_STORE\"" }));
        }
        cwl.Parameters(nameof(CwlItem)).Should().ContainSingle(words =>
            words.SequenceEqual(new[] { "--gpu=false", "--group=2", "--index=1", $"--scope={Scope}", "--trace-dir=" }));
        cwl.Yaml.Should().NotContain(nameof(CwlSeedCache), "a local-cache fetch runs inside each step that needs it")
            .And.NotContain(nameof(CwlSeed) + "\n", "an external input is never a step")
            .And.NotContain(nameof(CwlFollowUp), "a data-dependent requirement runs inside its parent's step");

        cwl.Jobs(nameof(CwlItem)).Should().HaveCount(6, "one job per task while a step has at most --max-jobs-per-step tasks");
        var env = ((List<object>)cwl.Tool["requirements"]).Cast<Dictionary<object, object>>().Single(r => (string)r["class"] == "EnvVarRequirement");
        ((Dictionary<object, object>)env["envDef"])["DETECT_STORE"].Should().Be("$(inputs.store)");
        cwl.StoreDefault.Should().Be(_env.Store.Uri, "the store travels as text, so no runner stages its objects");
        ((Dictionary<object, object>)((Dictionary<object, object>)cwl.Workflow["outputs"])["done"])["outputSource"].Should().Be("CwlReport/done");
        cwl.ToolHints.Should().NotContain(h => (string)h["class"] == "DockerRequirement");
    }

    [Fact]
    public async Task Every_parameter_reaches_the_step_exactly_odd_characters_and_insignificant_ones_included()
    {
        await SeedAsync();
        const string title = "a: b 'c' \"d\" #e, [f] --g=h";
        var cwl = await ExportedAsync("--title", title, "--trace-dir", "/tmp/some trace");
        var words = cwl.Parameters(nameof(CwlReport)).Single();

        var parsed = TaskArguments.Parse(TaskSchema.Of(typeof(CwlReport)), TempStore.Registry, words.ToList(), new HashSet<string>(), new HashSet<string>());
        var rebuilt = (CwlReport)TaskBuilder.Create(TaskSchema.Of(typeof(CwlReport)), parsed.Parameters);
        rebuilt.Title.Should().Be(title);
        rebuilt.TraceDir.Should().Be("/tmp/some trace");
        rebuilt.TaskId.Should().Be(new CwlReport { Scope = Scope }.TaskId);
        cwl.Parameters(nameof(CwlGroup)).Should().OnlyContain(w => w.Contains("--trace-dir=/tmp/some trace"));
    }

    [Fact]
    public async Task Tasks_already_complete_are_left_out()
    {
        await SeedAsync();
        (await _env.RunAsync(new CwlGroup { Scope = Scope, Group = 1 })).RootComplete.Should().BeTrue();

        var cwl = await ExportedAsync();

        cwl.Parameters(nameof(CwlGroup)).Should().HaveCount(2).And.NotContain(w => w.Contains("--group=1"));
        cwl.Parameters(nameof(CwlItem)).Should().HaveCount(4).And.NotContain(w => w.Contains("--group=1"));
    }

    [Fact]
    public async Task A_complete_graph_exports_a_workflow_with_no_steps_and_says_so()
    {
        await SeedAsync();
        (await _env.RunAsync(new CwlReport { Scope = Scope })).RootComplete.Should().BeTrue();

        var (code, stdout, stderr) = await Export("--no-container");

        code.Should().Be(0, stderr);
        new CwlDocumentView(stdout).StepIds.Should().BeEmpty();
        stderr.Should().Contain("0 task(s) in 0 step(s)").And.Contain("the workflow does nothing");
    }

    [Fact]
    public async Task Resources_gpus_and_per_family_defaults_reach_the_steps()
    {
        await SeedAsync();
        var cwl = await ExportedAsync("--CwlItem-gpu", "true", "--cores", "2,CwlItem=3", "--ram", "1024,CwlGroup=2048");

        cwl.Parameters(nameof(CwlItem)).Should().OnlyContain(w => w.Contains("--gpu=true"));
        foreach (var step in cwl.StepIds)
            cwl.Parameters(step).Should().OnlyContain(w => w[0] == "--CwlItem-gpu=true", "the export's per-family defaults go to every step");
        var cuda = cwl.Requirement(nameof(CwlItem), "cwltool:CUDARequirement")!;
        cuda["cudaDeviceCountMin"].Should().Be("1");
        cuda["cudaVersionMin"].Should().Be("13.0");
        cwl.Requirement(nameof(CwlGroup), "cwltool:CUDARequirement").Should().BeNull();

        var items = cwl.Requirement(nameof(CwlItem), "ResourceRequirement")!;
        items["coresMin"].Should().Be("3");
        items["ramMin"].Should().Be("1024");
        var groups = cwl.Requirement(nameof(CwlGroup), "ResourceRequirement")!;
        groups["coresMin"].Should().Be("2");
        groups["ramMin"].Should().Be("2048");
        cwl.Commands(nameof(CwlItem)).Should().OnlyContain(words => words[5] == "3", "a task may run its own requirements on as many workers as it has cores");
    }

    [Fact]
    public async Task An_image_becomes_a_docker_hint_so_cwltool_no_container_still_runs_it()
    {
        await SeedAsync();
        var (code, stdout, stderr) = await Export("--image", "registry.example:5000/detect:1.4.2");
        code.Should().Be(0, stderr);
        var cwl = new CwlDocumentView(stdout);
        cwl.ToolHints.Single(h => (string)h["class"] == "DockerRequirement")["dockerPull"].Should().Be("registry.example:5000/detect:1.4.2");
        ((List<object>)cwl.Tool["requirements"]).Cast<Dictionary<object, object>>()
            .Should().NotContain(r => (string)r["class"] == "DockerRequirement", "a hard requirement would make `cwltool --no-container` refuse the step");
    }

    [Fact]
    public async Task A_step_with_more_tasks_than_max_jobs_runs_several_per_job_one_after_another()
    {
        await SeedAsync();
        var cwl = await ExportedAsync("--max-jobs-per-step", "2");

        cwl.Jobs(nameof(CwlItem)).Should().HaveCount(2);
        cwl.Jobs(nameof(CwlItem)).Should().OnlyContain(job => ShellWords.Commands(job).Count() == 3);
        cwl.Jobs(nameof(CwlGroup)).Select(job => ShellWords.Commands(job).Count()).Should().Equal(1, 2);
        cwl.Parameters(nameof(CwlItem)).Select(words => string.Join(' ', words)).Should().OnlyHaveUniqueItems().And.HaveCount(6);
        cwl.Jobs(nameof(CwlItem))[0].Should().Contain(" && ");
    }

    [Fact]
    public async Task A_real_shell_hands_every_word_of_a_job_to_detect_unchanged()
    {
        await SeedAsync();
        const string title = "it's \"quoted\" $HOME `date` *.tif; rm -rf / && echo #no \\ end";
        var cwl = await ExportedAsync("--title", title);
        var job = cwl.Jobs(nameof(CwlReport)).Single();

        // `detect` replaced by a function that prints its arguments, one per line, as the shell passed them.
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("detect() { for a in \"$@\"; do printf '%s\\n' \"$a\"; done; }; DETECT_STORE='s3://b/p q'; " + job);
        using var shell = System.Diagnostics.Process.Start(info)!;
        var printed = (await shell.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await shell.WaitForExitAsync();

        shell.ExitCode.Should().Be(0);
        printed.Should().Contain($"--title={title}").And.Contain("s3://b/p q");
        printed.Take(5).Should().Equal("run", nameof(CwlReport), "--no-deps", "--workers", "1");
    }

    [Fact]
    public async Task An_unknown_task_exits_2_and_lists_the_known_ones()
    {
        var (code, _, stderr) = await Cli("export", "cwl", "NoSuchTask", "--store", _env.Store.Root, "--no-container");
        code.Should().Be(2);
        stderr.Should().Contain("Unknown task 'NoSuchTask'").And.Contain(nameof(CwlReport));
    }

    [Theory]
    [InlineData("detect")]
    [InlineData("registry.example:5000/detect")]
    public async Task An_image_without_a_tag_is_a_usage_error_naming_the_fix(string image)
    {
        await SeedAsync();
        var (code, _, stderr) = await Export("--image", image);
        code.Should().Be(2);
        stderr.Should().Contain($"--image {image} has no tag").And.Contain($"--image {image}:1.0");
    }

    [Fact]
    public async Task A_usage_error_touches_nothing_no_store_folder_and_no_output()
    {
        var store = Path.Combine(_env.Root, "never-made");
        var output = Path.Combine(_env.Root, "workflow.cwl");

        var (code, _, stderr) = await Cli("export", "cwl", nameof(CwlReport), "--scope", Scope, "--store", store, "--image", "detect", "-o", output);

        code.Should().Be(2, stderr);
        Directory.Exists(store).Should().BeFalse("the store is opened only after every usage check");
        File.Exists(output).Should().BeFalse();
    }

    [Fact]
    public async Task The_container_choice_is_required_and_single()
    {
        var (neither, _, neitherErr) = await Export();
        neither.Should().Be(2);
        neitherErr.Should().Contain("--image detect:<tag>").And.Contain("--no-container");

        var (both, _, bothErr) = await Export("--image", "detect:1.0", "--no-container");
        both.Should().Be(2);
        bothErr.Should().Contain("exclude each other");
    }

    [Fact]
    public async Task An_existing_output_is_kept_unless_force_is_given()
    {
        await SeedAsync();
        var folder = Directory.CreateDirectory(Path.Combine(_env.Root, "out")).FullName;
        var output = Path.Combine(folder, "workflow.cwl");
        await File.WriteAllTextAsync(output, "precious");

        var (code, _, stderr) = await Export("--no-container", "-o", output);
        code.Should().Be(2);
        stderr.Should().Contain("exists").And.Contain("--force");
        (await File.ReadAllTextAsync(output)).Should().Be("precious");

        var (forced, _, forcedErr) = await Export("--no-container", "-o", output, "--force");
        forced.Should().Be(0, forcedErr);
        new CwlDocumentView(await File.ReadAllTextAsync(output)).StepIds.Should().HaveCount(3);
        Directory.GetFiles(folder).Should().Equal([output], "nothing but the workflow is left in the folder");
    }

    [Fact]
    public async Task Missing_external_inputs_fail_with_their_uri_and_write_nothing()
    {
        var output = Path.Combine(Directory.CreateDirectory(Path.Combine(_env.Root, "out")).FullName, "workflow.cwl");

        var (code, _, stderr) = await Export("--no-container", "-o", output);

        code.Should().Be(1);
        stderr.Should().Contain("external input(s) missing").And.Contain(_env.Store.UriOf(CwlSeed.TargetFor(Scope).Key));
        Directory.GetFiles(Path.GetDirectoryName(output)!).Should().BeEmpty("no partial workflow is left");
    }

    [Fact]
    public async Task A_local_store_is_exported_with_a_warning_that_every_node_must_see_it()
    {
        await SeedAsync();
        var (code, _, stderr) = await Export("--no-container");
        code.Should().Be(0);
        stderr.Should().Contain($"warning: the store {_env.Store.Uri} is a local directory").And.Contain("every node");
    }

    [Theory]
    [InlineData(new[] { "export" }, "needs a format")]
    [InlineData(new[] { "export", "dot", nameof(CwlReport) }, "got 'dot'")]
    public async Task Export_without_the_cwl_format_is_a_usage_error(string[] args, string message)
    {
        var (code, _, stderr) = await Cli(args);
        code.Should().Be(2);
        stderr.Should().Contain(message).And.Contain("export cwl <Task>");
    }

    [Theory]
    [InlineData("--cores", "0", "at least 1")]
    [InlineData("--cores", "2,Nope=3", "unknown task 'Nope'")]
    [InlineData("--ram", "lots", "--ram expects whole numbers")]
    public async Task Bad_resource_options_are_usage_errors_naming_them(string option, string value, string message)
    {
        var output = Path.Combine(Directory.CreateDirectory(Path.Combine(_env.Root, "out")).FullName, "workflow.cwl");
        var (code, _, stderr) = await Export("--no-container", option, value, "-o", output);
        code.Should().Be(2);
        stderr.Should().Contain(message);
        File.Exists(output).Should().BeFalse();
    }
}
