using Detect.Synthetic;

namespace Detect.Tasks.Tests.Synthetic;

/// <summary>Demo imagery lives in its own assembly: the workflow assembly neither references nor registers it.</summary>
public sealed class SyntheticAssemblyTests
{
    [Fact]
    public void The_workflow_assembly_does_not_reference_the_synthetic_one()
    {
        var workflow = typeof(Detect.Tasks.Pipeline.Detect).Assembly;
        var synthetic = typeof(SyntheticImageryGenerator).Assembly;

        synthetic.GetName().Name.Should().Be("Detect.Synthetic");
        workflow.Should().NotBeSameAs(synthetic);
        workflow.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain("Detect.Synthetic");
        workflow.GetTypes().Should().NotContain(t => t.Namespace != null && t.Namespace.Contains("Synthetic"));
    }
}
