using CommandLine;
using Detect.Engine.Export;
using Detect.Engine.Parameters;
using Detect.Engine.Storage;

namespace Detect.Engine.Cli;

public sealed class ExportCwlOptions : GraphOptions
{
    [Option('o', "output", HelpText = "Write the workflow to this file (default: standard output).")]
    public string? Output { get; set; }

    [Option("force", HelpText = "Replace --output if it exists.")]
    public bool Force { get; set; }

    [Option("image", HelpText = "Container image of every step, with its tag: detect:<tag> (a DockerRequirement hint).")]
    public string? Image { get; set; }

    [Option("no-container", HelpText = "No container: every node runs `detect` from its PATH.")]
    public bool NoContainer { get; set; }

    [Option("cores", Default = "1", HelpText = "Cores per step (also its --workers): N, with Family=N exceptions, e.g. 1,Heatmap=4.")]
    public string Cores { get; set; } = "1";

    [Option("ram", Default = "4096", HelpText = "RAM per step in MiB: N, with Family=N exceptions, e.g. 4096,Heatmap=16384.")]
    public string Ram { get; set; } = "4096";

    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    [Option("max-jobs-per-step", Default = 100, HelpText = "Most jobs (scatter elements) per step; a step with more tasks runs several per job, one after another.")]
    public int MaxJobsPerStep { get; set; } = 100;

    [Option("cuda-version", Default = "13.0", HelpText = "Least CUDA version a node of a GPU step needs (cwltool:CUDARequirement).")]
    public string CudaVersion { get; set; } = "13.0";

    [Option("cuda-compute-capability", Default = "7.5", HelpText = "Least compute capability of a GPU step's device.")]
    public string CudaComputeCapability { get; set; } = "7.5";
}

/// <summary>
/// <c>detect export cwl &lt;Task&gt; [--param …] --store URI (--image detect:&lt;tag&gt; | --no-container) [-o FILE]
/// [--force]</c>: the incomplete part of the task's graph as a CWL v1.2 workflow for cwltool, Toil or Calrissian.
/// Every check runs before anything is written, and the file appears whole or not at all.
/// </summary>
internal static class ExportCommand
{
    /// <summary>The arguments after <c>export cwl</c>; another format is a usage error.</summary>
    public static string[] CwlArguments(string[] args) =>
        args is ["cwl", .. var rest] ? rest
        : throw new ParameterException(
            $"`export` needs a format: `export cwl <Task> --store URI --image detect:<tag>`{(args.Length > 0 ? $", got '{args[0]}'" : "")}.");

    public static async Task<int> ExecuteAsync(CliApp app, WorkflowTask root, ExportCwlOptions options, CancellationToken ct)
    {
        // Every usage check before the store is opened (opening a local store creates its folder).
        var output = CheckOutput(options);
        var image = Image(options);
        var cores = StepResources.Parse("cores", options.Cores, 1, app.Registry);
        var ram = StepResources.Parse("ram", options.Ram, 4096, app.Registry);

        using var session = new CliApp.Session(options);
        var store = session.Resolver.DefaultStore;
        var settings = new CwlExportSettings
        {
            StoreUri = store.Uri,
            Image = image,
            Cores = cores,
            RamMiB = ram,
            CudaVersionMin = options.CudaVersion,
            CudaComputeCapability = options.CudaComputeCapability,
            SharedArguments = StepArguments.FamilyDefaults(ParameterDefaults.Current, app.Registry),
            MaxJobsPerStep = options.MaxJobsPerStep,
        };
        if (StoreUri.Parse(store.Uri).IsFile)
            await app.Error.WriteLineAsync(
                $"warning: the store {store.Uri} is a local directory: every node that runs a step must see it at that path " +
                "(fine for cwltool and Toil's single_machine; for Slurm put it on a shared filesystem, for Kubernetes use an s3:// store).");

        ExportPlan plan;
        try { plan = await new ExportPlanner(app.Registry, session.Resolver, session.Logger).PlanAsync(root, ct); }
        catch (Exception e) when (e is not (OperationCanceledException or ParameterException or StoreException))
        {
            // Missing inputs, a dependency cycle, or a task that could not plan its requirements (e.g. a bad input file).
            await app.Error.WriteLineAsync("error: " + e.Message);
            return CliApp.Failure;
        }
        var steps = WorkflowSteps.Group(plan.Tasks);
        var document = CwlWorkflow.Build(steps, root, settings);
        var yaml = CwlYaml.Serialize(document, Header(root, plan, steps, settings));

        if (output is null) await app.Out.WriteAsync(yaml);
        else WriteWhole(output, yaml, options.Force);
        await app.Error.WriteLineAsync(
            $"{(output is null ? "exported" : $"wrote {output}:")} {plan.Tasks.Count} task(s) in {steps.Count} step(s); " +
            $"{plan.Complete} of the graph's {plan.GraphSize} task(s) already complete, left out" +
            (plan.Tasks.Count == 0 ? $" ({root.TaskId} is complete: the workflow does nothing)." : "."));
        return CliApp.Success;
    }

    /// <summary>The full path to write, or null for standard output; an existing file without --force is a usage error.</summary>
    private static string? CheckOutput(ExportCwlOptions options)
    {
        if (options.Output is null or "-") return null;
        var path = Path.GetFullPath(options.Output);
        if (Directory.Exists(path)) throw new ParameterException($"--output {options.Output} is a directory: name the workflow file, e.g. -o workflow.cwl.");
        if (File.Exists(path) && !options.Force)
            throw new ParameterException($"--output {options.Output} exists: pass --force to replace it, or choose another file.");
        if (Path.GetDirectoryName(path) is { } dir && !Directory.Exists(dir))
            throw new ParameterException($"--output {options.Output}: the folder {dir} does not exist.");
        return path;
    }

    private static string? Image(ExportCwlOptions options)
    {
        if (options.Image is not null && options.NoContainer)
            throw new ParameterException("--image and --no-container exclude each other: give one.");
        if (options.NoContainer) return null;
        if (options.Image is null)
            throw new ParameterException(
                "Say where the steps run: --image detect:<tag> (the image the Dockerfile builds, e.g. --image detect:1.0), " +
                "or --no-container to run `detect` from each node's PATH.");
        var image = options.Image.Trim();
        var name = image[(image.LastIndexOf('/') + 1)..];
        if (name.Length == 0 || (!name.Contains(':') && !image.Contains('@')))
            throw new ParameterException(
                $"--image {options.Image} has no tag: give the exact image, e.g. --image {image}:1.0 (or pin a digest, {image}@sha256:…). " +
                "Untagged means :latest, which can change between the steps of one run.");
        return image;
    }

    private static IEnumerable<string> Header(WorkflowTask root, ExportPlan plan, IReadOnlyList<WorkflowStep> steps, CwlExportSettings settings)
    {
        yield return $"CWL v1.2 workflow made by `{settings.Program} export cwl` for {root.TaskId}:";
        yield return $"{plan.Tasks.Count} task(s) to run in {steps.Count} step(s); {plan.Complete} already complete in {settings.StoreUri} were left out.";
        if (plan.RunTheirOwnRequirements.Count > 0)
            yield return "Work out their requirements as they run, and run them inside their own step: " +
                         string.Join(", ", plan.RunTheirOwnRequirements.Select(t => t.Family).Distinct()) + ".";
        yield return "";
        yield return "Credentials are not in this file: each step reads AWS_* from its environment, e.g.";
        yield return "  cwltool --preserve-environment AWS_ACCESS_KEY_ID --preserve-environment AWS_SECRET_ACCESS_KEY workflow.cwl";
        yield return "  toil-cwl-runner --preserve-entire-environment --jobStore ./jobstore workflow.cwl";
        yield return "See the README's \"Scale out\" for Slurm, Kubernetes and Calrissian.";
    }

    /// <summary>Writes beside the target and renames, so the file is never seen half written and an error leaves none.</summary>
    private static void WriteWhole(string path, string text, bool force)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: force);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
