using Detect.Cli;
using Detect.Engine.Cli;

LastResort.InstallForProcess(args);
// Ctrl-C / SIGTERM: the first stops the run (summary, exit 130), a second exits at once.
using var interrupts = new Detect.Engine.InterruptSignals();
return await DetectApp.Create().RunAsync(args, interrupts.Token);
