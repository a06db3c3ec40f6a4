using OberaConnect.Engine.Notion;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Tests.Notion;

internal static class TestClients
{
    /// <summary>A token that matches none of the redactor's built-in patterns: only registration can mask it.</summary>
    public const string Token = "test-token-QWERTY-9876543210";

    /// <summary>
    /// A client on the responder. With the system clock each client gets its own base URL, hence its own
    /// process-wide pacer (fast: 1000 requests/s); with a manual clock the pacer is private anyway.
    /// </summary>
    public static NotionClient Create(NotionResponder responder, TimeProvider? clock = null, Action<NotionClientOptions>? tweak = null,
        SecretRedactor? redactor = null)
    {
        var options = new NotionClientOptions
        {
            BaseUrl = $"https://t{Guid.NewGuid():N}.notion.test/",
            Resilience = { RequestsPerSecond = 1000, Burst = 1000, BaseDelay = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(8) },
        };
        tweak?.Invoke(options);
        if (clock != null) responder.Clock = clock;
        return new NotionClient(Token, options, responder, clock, redactor);
    }
}
