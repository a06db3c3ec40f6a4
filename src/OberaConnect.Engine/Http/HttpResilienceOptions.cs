namespace OberaConnect.Engine.Http;

/// <summary>
/// How one remote service is paced and retried. Each client (Notion, UniFi, NinjaOne, Databricks)
/// starts from its own defaults and the configuration file may override them.
/// </summary>
public sealed class HttpResilienceOptions
{
    /// <summary>Average requests per second across the whole process for this service (Notion: 3).</summary>
    public double RequestsPerSecond { get; set; } = 3.0;

    /// <summary>How many requests may go back to back before pacing applies (a short burst).</summary>
    public int Burst { get; set; } = 3;

    /// <summary>How long one attempt may take before it is abandoned.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Retries after the first attempt for 5xx, transport errors and timeouts. 429 and 529 are not counted: they are
    /// retried as Retry-After asks for as long as <see cref="MaxRateLimitWait"/> allows. 0 turns every retry off, 429 included.
    /// </summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>First backoff delay for 5xx, transport errors and timeouts; doubles each retry, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Ceiling for the exponential backoff (not for Retry-After, which is honoured as sent).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A Retry-After longer than this is not slept through: the request fails with a rate-limit error
    /// that says when to try again. Notion's per-workspace limit can ask for more than a minute, so the
    /// default is generous.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long one request may wait in total on 429/529 answers (the sum of the Retry-After waits) before it fails with a
    /// rate-limit error saying so. Several jobs sharing one integration wait their turn instead of failing records.
    /// </summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How many failed attempts (5xx, transport, timeout; not 429) open the breaker when no attempt succeeded
    /// among them: the breaker opens once every attempt within its sampling window (<see cref="BreakerBreakDuration"/>,
    /// at least 30 s) failed and there were at least this many. A service that still answers some requests is
    /// not cut off; those failures are retried and reported per record instead.
    /// </summary>
    public int BreakerFailureThreshold { get; set; } = 5;

    /// <summary>How long the breaker stays open before one trial request is let through.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the values; throws <see cref="OberaConnectException"/> naming the bad one.</summary>
    public HttpResilienceOptions Validate(string service)
    {
        static void Require(bool ok, string service, string what)
        {
            if (!ok) throw new OberaConnectException("InvalidResilienceSetting", FailureKind.Configuration, $"{service}: {what}");
        }
        Require(RequestsPerSecond > 0 && RequestsPerSecond <= 1000, service, $"RequestsPerSecond must be between 0 and 1000 (got {RequestsPerSecond}).");
        Require(Burst >= 1 && Burst <= 1000, service, $"Burst must be between 1 and 1000 (got {Burst}).");
        Require(RequestTimeout > TimeSpan.Zero && RequestTimeout <= TimeSpan.FromMinutes(10), service, $"RequestTimeout must be between 0 and 10 minutes (got {RequestTimeout}).");
        Require(MaxRetries >= 0 && MaxRetries <= 20, service, $"MaxRetries must be between 0 and 20 (got {MaxRetries}).");
        Require(MaxRateLimitWait > TimeSpan.Zero && MaxRateLimitWait <= TimeSpan.FromDays(1), service, $"MaxRateLimitWait must be between 0 and 1 day (got {MaxRateLimitWait}).");
        Require(BaseDelay >= TimeSpan.Zero && MaxBackoff >= BaseDelay, service, "BaseDelay must be >= 0 and MaxBackoff >= BaseDelay.");
        Require(BreakerFailureThreshold >= 2, service, $"BreakerFailureThreshold must be at least 2 (got {BreakerFailureThreshold}).");
        Require(BreakerBreakDuration >= TimeSpan.FromMilliseconds(500), service, "BreakerBreakDuration must be at least 0.5 s.");
        return this;
    }

    /// <summary>A copy, so a client can adjust defaults without touching the caller's object.</summary>
    public HttpResilienceOptions Clone() => (HttpResilienceOptions)MemberwiseClone();
}
