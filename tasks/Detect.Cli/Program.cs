using Detect.Cli;
using Detect.Engine.Cli;

LastResort.InstallForProcess(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await DetectApp.Create().RunAsync(args, cancel.Token);
