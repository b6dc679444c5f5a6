using Detect.Cli;
using Detect.Engine.Cli;
using Detect.Engine.Scheduling;
using Detect.Tasks;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var app = new CliApp(new TaskRegistry(TasksAssembly.Assembly)) { MainTask = "RoiSummary" };
app.AddVerb("demo", "seed a local store from ../shared and run the example graph [--roi test_patch]",
    args => DemoCommand.RunAsync(app, args));
return await app.RunAsync(args, cancel.Token);
