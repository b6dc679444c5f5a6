namespace Detect.Tasks.Imagery;

/// <summary>Input imagery breaks the contract (DESIGN.md "Imagery input contract"); the message names item and asset.</summary>
public sealed class ImageryException(string message, Exception? inner = null) : Exception(message, inner);
