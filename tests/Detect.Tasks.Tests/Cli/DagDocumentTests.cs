using Detect.Cli;
using Detect.Engine.Cli;

namespace Detect.Tasks.Tests.Cli;

public sealed class DagDocumentTests
{
    [Fact]
    public async Task Dag_md_matches_the_graph_the_code_declares()
    {
        var stdout = new StringWriter();
        var code = await DetectApp.Create(stdout, new StringWriter()).RunAsync(["deps", DetectApp.MainTask, "--format", "mermaid", "--static"]);
        code.Should().Be(CliApp.Success);

        var dag = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "dag.md"));

        dag.Should().Contain(stdout.ToString().Trim(), "dag.md is stale: run scripts/update-dag.sh");
    }
}
