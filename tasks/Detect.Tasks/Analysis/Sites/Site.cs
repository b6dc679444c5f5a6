namespace Detect.Tasks.Analysis.Sites;

/// <summary>A candidate site: a merged blob location in WGS84 degrees.</summary>
public sealed record Site(string Name, double Lon, double Lat);
