using Detect.Engine.Cli;
using Detect.Engine.Scheduling;
using Detect.Engine.Web;
using Detect.Tasks;

namespace Detect.Cli;

/// <summary>The `detect` program: the engine's CLI over the Detect tasks, plus the demo verb.</summary>
public static class DetectApp
{
    /// <summary>The task `dag.md` shows and `clean --downstream` resolves from.</summary>
    public const string MainTask = "Detect";

    public static CliApp Create(TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var app = new CliApp(new TaskRegistry(TasksAssembly.Assembly))
        {
            MainTask = MainTask,
            Out = stdout ?? Console.Out,
            Error = stderr ?? Console.Error,
        };
        app.AddVerb("demo", "seed a store from ../shared (ROI, models) plus synthetic imagery, run Detect, print planted vs found [--roi test_patch]",
            args => DemoCommand.RunAsync(app, args));
        app.AddVerb("roi", "add <name> <file.geojson> [--store URI] [--replace]: check a region (WGS84 polygons) and put it in the store; list",
            args => RoiCommand.RunAsync(app, args));
        app.AddVerb("scenes", "--roi <name> [--start-date --end-date --imagery ... --store URI]: the scenes a run would read, per tile, without reading pixels",
            args => ScenesCommand.RunAsync(app, args));
        app.AddVerb("models", "import <dir> [--store URI]: convert/verify models and put them in the store; list: known models",
            args => ModelsCommand.RunAsync(app, args));
        app.AddVerb("new", NewCommand.Usage, args => NewCommand.RunAsync(app, args));
        app.AddServeVerb();
        return app;
    }
}
