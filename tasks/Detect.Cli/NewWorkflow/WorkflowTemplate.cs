using System.Text.RegularExpressions;

namespace Detect.Cli.NewWorkflow;

/// <summary>
/// The files of a new workflow project: a console program over <c>Detect.Engine</c> (from the local feed, through
/// its own nuget.config) with one task, an xunit test of it, and a README saying how to run it.
/// Placeholders: <c>__NAME__</c> (project and namespace), <c>__PROGRAM__</c> (command name), <c>__VERSION__</c>
/// (engine package version), <c>__FEED__</c> (the local feed folder), <c>__VERSION_OF(Package)__</c> (that package's
/// version from the repository's Directory.Packages.props: what the repository restored, so the project restores offline).
/// </summary>
internal static partial class WorkflowTemplate
{
    public static IReadOnlyList<(string Path, string Text)> Files(
        string name, string program, string version, string feed, Func<string, string> packageVersion) =>
        Raw.Select(f => (f.Path.Replace("__NAME__", name), PackageVersionPlaceholder().Replace(f.Text
            .Replace("__NAME__", name).Replace("__PROGRAM__", program).Replace("__VERSION__", version).Replace("__FEED__", feed),
            m => packageVersion(m.Groups[1].Value)))).ToList();

    [GeneratedRegex(@"__VERSION_OF\(([^)]+)\)__")]
    private static partial Regex PackageVersionPlaceholder();

    private static readonly (string Path, string Text)[] Raw =
    [
        ("nuget.config", """
            <?xml version="1.0" encoding="utf-8"?>
            <!-- Detect.Engine comes from the local feed that building Detect packs it into (offline); other packages from your usual sources. -->
            <configuration>
              <packageSources>
                <add key="detect-local" value="__FEED__" />
              </packageSources>
            </configuration>

            """),
        ("__NAME__.slnx", """
            <Solution>
              <Project Path="src/__NAME__/__NAME__.csproj" />
              <Project Path="tests/__NAME__.Tests/__NAME__.Tests.csproj" />
            </Solution>

            """),
        (".gitignore", """
            bin/
            obj/
            detect-data/

            """),
        ("src/__NAME__/__NAME__.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Detect.Engine" Version="__VERSION__" />
              </ItemGroup>
            </Project>

            """),
        ("src/__NAME__/Program.cs", """
            using Detect.Engine.Cli;
            using Detect.Engine.Scheduling;

            // The engine's command line (run, deps, describe, list, status, clean, runs) over the tasks of this assembly.
            using var cancel = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
            return await new CliApp(new TaskRegistry(typeof(__NAME__.Greet).Assembly), "__PROGRAM__").RunAsync(args, cancel.Token);

            """),
        ("src/__NAME__/Greet.cs", """
            using System.ComponentModel;
            using Detect.Engine;
            using Detect.Engine.Parameters;

            namespace __NAME__;

            /// <summary>An example task: one parameter, one output in the store. Add your own tasks beside it.</summary>
            [Description("writes greetings/<name>.txt")]
            public sealed class Greet : WorkflowTask
            {
                [Parameter(Help = "who to greet")] public string Name { get; init; } = "world";

                public override IEnumerable<Target> Output() => [new StoreTarget($"greetings/{Name}.txt")];

                // Written through the context, so the output appears whole or not at all.
                public override Task RunAsync(TaskContext context) => context.WriteTextAsync(Output().Single(), $"Hello, {Name}!\n");
            }

            """),
        ("tests/__NAME__.Tests/__NAME__.Tests.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsPackable>false</IsPackable>
                <IsTestProject>true</IsTestProject>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="__VERSION_OF(Microsoft.NET.Test.Sdk)__" />
                <PackageReference Include="xunit" Version="__VERSION_OF(xunit)__" />
                <PackageReference Include="xunit.runner.visualstudio" Version="__VERSION_OF(xunit.runner.visualstudio)__" />
              </ItemGroup>
              <ItemGroup>
                <ProjectReference Include="../../src/__NAME__/__NAME__.csproj" />
              </ItemGroup>
            </Project>

            """),
        ("tests/__NAME__.Tests/GreetTests.cs", """
            using Detect.Engine.Cli;
            using Detect.Engine.Scheduling;
            using Xunit;

            namespace __NAME__.Tests;

            public sealed class GreetTests : IDisposable
            {
                private readonly string _store = Directory.CreateTempSubdirectory("__NAME__-store-").FullName;

                [Fact]
                public async Task Run_writes_the_greeting_into_the_store()
                {
                    var app = new CliApp(new TaskRegistry(typeof(Greet).Assembly), "__PROGRAM__") { Out = TextWriter.Null };

                    var exit = await app.RunAsync(["run", "Greet", "--name", "test", "--store", _store, "--no-history"]);

                    Assert.Equal(0, exit);
                    Assert.Equal("Hello, test!\n", File.ReadAllText(Path.Combine(_store, "greetings", "test.txt")));
                }

                public void Dispose() => Directory.Delete(_store, recursive: true);
            }

            """),
        ("README.md", """
            # __NAME__

            A workflow on the Detect engine (Detect.Engine __VERSION__, from the local feed in `nuget.config`).
            Build, test, and run its task — with its own program, or with `detect run --assembly`:

            ```bash
            dotnet build -c Release && dotnet test -c Release --no-build
            dotnet src/__NAME__/bin/Release/net10.0/__NAME__.dll run Greet --name you    # writes detect-data/greetings/you.txt
            detect run --assembly src/__NAME__/bin/Release/net10.0/__NAME__.dll Greet --name you
            ```

            """),
    ];
}
