namespace Detect.Engine;

/// <summary>A task that, once complete, can say what it produced (URIs, counts) for the end of <c>detect run</c>.</summary>
public interface IDescribesResults
{
    Task<string> DescribeResultsAsync(TargetResolver targets, CancellationToken ct);
}
