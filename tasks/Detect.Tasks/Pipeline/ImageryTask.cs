using System.ComponentModel.DataAnnotations;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Imagery;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The imagery parameters of every task that reads scenes (or asks for tasks that do). They change which pixels
/// are read, so they are significant — part of the task id and so of the run id — except the S3 endpoint, which
/// says only where the same objects are read from.
/// Their defaults are <see cref="Detect"/>'s (<see cref="InheritsAttribute"/>), as are those of every parameter a
/// pipeline task shares with it (ROI, dates, models, …).
/// </summary>
[Inherits(typeof(Detect))]
public abstract class ImageryTask : WorkflowTask
{
    [Parameter(Help = "scenes from: store (imagery/items/ in the store), earth-search, or a STAC API root URL (http(s)://…)")]
    public string Imagery { get; init; } = "";

    [Parameter(Help = "STAC collection of the L1C scenes (STAC APIs)")]
    public string Collection { get; init; } = "";

    [Parameter(Help = "STAC collection of the L2A siblings whose SCL masks clouds (--cloud-mask scl)")]
    public string CloudCollection { get; init; } = "";

    [Parameter(Help = "leave out scenes whose eo:cloud_cover is above this percentage (STAC APIs)"), Range(0.0, 100.0)]
    public double MaxCloudCover { get; init; }

    [Parameter(Help = "clouds from: auto (scl for STAC APIs, the cloud asset for the store), scl, asset or none")]
    public CloudMaskMode CloudMask { get; init; }

    [Parameter(Significant = false, Help = "S3 endpoint for s3:// imagery hrefs: default the store's AWS_ENDPOINT_URL_S3 (env DETECT_IMAGERY_S3_ENDPOINT), 'aws' for AWS S3")]
    public string ImageryS3Endpoint { get; init; } = "";

    /// <summary>The imagery parameters, validated (a bad value is a usage error naming it).</summary>
    public ImageryOptions ImageryOptions =>
        ImageryOptions.Create(Imagery, Collection, CloudCollection, MaxCloudCover, CloudMask, ImageryS3Endpoint);
}
