using Detect.Engine.History;

namespace Detect.Engine.Tests.History;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("https://alice:s3cret@example.org/path", "https://alice:***@example.org/path")]
    [InlineData("https://hooks.example.org/x?token=abc123&user=bob", "https://hooks.example.org/x?token=***&user=bob")]
    [InlineData("s3://bucket/key?X-Amz-Signature=deadbeef", "s3://bucket/key?X-Amz-Signature=***")]
    [InlineData("key AKIAABCDEFGHIJKLMNOP here", "key *** here")]
    [InlineData("plain text stays", "plain text stays")]
    public void Text_masks_passwords_secret_query_values_and_aws_keys(string text, string expected) =>
        Redaction.Text(text).Should().Be(expected);

    [Fact]
    public void Command_masks_the_values_of_options_named_like_secrets()
    {
        Redaction.Command(["detect", "serve", "--token", "t0p", "--api-key=k3y", "--store", "s3://b/p", "--roi", "bali"])
            .Should().Equal("detect", "serve", "--token", "***", "--api-key=***", "--store", "s3://b/p", "--roi", "bali");
    }
}
