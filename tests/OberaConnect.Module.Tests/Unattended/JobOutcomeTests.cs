using OberaConnect.Engine;
using OberaConnect.Engine.Http;
using OberaConnect.Engine.Security;
using OberaConnect.Engine.Unattended;

namespace OberaConnect.Module.Tests.Unattended;

public class JobOutcomeTests
{
    [Fact]
    public void The_codes_are_the_documented_numbers()
    {
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, Enum.GetValues<JobExitCode>().Select(c => (int)c));
        Assert.Equal(2, (int)JobExitCode.ConfigurationError);
        Assert.Equal(3, (int)JobExitCode.ComponentUnhealthy);
    }

    [Fact]
    public void A_clean_run_is_success()
    {
        var outcome = new JobOutcome();
        outcome.RecordsFailed(0);
        Assert.Equal(JobExitCode.Success, outcome.ExitCodeValue);
        Assert.Equal(0, outcome.Code);
    }

    [Fact]
    public void The_most_severe_finding_wins()
    {
        var outcome = new JobOutcome();
        outcome.RecordsFailed(3);
        Assert.Equal(JobExitCode.RecordsFailed, outcome.ExitCodeValue);
        outcome.ComponentUnhealthy("UniFi");
        Assert.Equal(JobExitCode.ComponentUnhealthy, outcome.ExitCodeValue);
        outcome.RecordsFailed(1);
        Assert.Equal(JobExitCode.ComponentUnhealthy, outcome.ExitCodeValue);
        outcome.Failed(new OberaConnectException("TokenRefused", FailureKind.Authentication, "x"));
        Assert.Equal(JobExitCode.ConfigurationError, outcome.ExitCodeValue);
        outcome.ComponentUnhealthy("Notion");
        Assert.Equal(JobExitCode.ConfigurationError, outcome.ExitCodeValue);
        outcome.Failed(new NullReferenceException());
        Assert.Equal(JobExitCode.Unexpected, outcome.ExitCodeValue);
        Assert.Equal(4, outcome.FailedRecords);
        Assert.Equal(new[] { "UniFi", "Notion" }, outcome.UnhealthyComponents);
        Assert.Contains("exit 4 (Unexpected)", outcome.ToString());
    }

    [Fact]
    public void Errors_map_by_their_failure_kind()
    {
        Assert.Equal(JobExitCode.ComponentUnhealthy, JobOutcome.ForException(new CircuitOpenException("Notion", DateTimeOffset.UnixEpoch)));
        Assert.Equal(JobExitCode.ComponentUnhealthy, JobOutcome.ForException(new SecretStoreUnavailableException("Key Vault", "down")));
        Assert.Equal(JobExitCode.RecordsFailed, JobOutcome.ForException(new RequestOutcomeUnknownException("Notion", "POST", "/v1/pages", 502, null)));
        Assert.Equal(JobExitCode.ConfigurationError, JobOutcome.ForException(new OberaConnectException("BadConfig", FailureKind.Configuration, "x")));
        Assert.Equal(JobExitCode.Unexpected, JobOutcome.ForException(new OberaConnectException("Odd", FailureKind.Unknown, "x")));
        Assert.Equal(JobExitCode.ConfigurationError, JobOutcome.ForException(new AggregateException(
            new OberaConnectException("Slow", FailureKind.RateLimited, "x"), new OberaConnectException("Denied", FailureKind.PermissionDenied, "y"))));
    }

    [Fact]
    public void An_item_that_failed_alone_is_a_failed_record_and_a_setup_or_outage_failure_stays_one()
    {
        var missingDatabase = new JobOutcome();
        missingDatabase.ItemFailed(new OberaConnectException("NotionObjectNotFound", FailureKind.NotFound, "database x"));
        missingDatabase.ItemFailed(new OberaConnectException("InvalidBackupStatus", FailureKind.InvalidInput, "record y"));
        Assert.Equal(JobExitCode.RecordsFailed, missingDatabase.ExitCodeValue);
        Assert.Equal(2, missingDatabase.FailedRecords);

        var refused = new JobOutcome();
        refused.ItemFailed(new OberaConnectException("NotionUnauthorized", FailureKind.Authentication, "token"));
        Assert.Equal(JobExitCode.ConfigurationError, refused.ExitCodeValue);
        var down = new JobOutcome();
        down.ItemFailed(new CircuitOpenException("Notion", DateTimeOffset.UnixEpoch));
        Assert.Equal(JobExitCode.ComponentUnhealthy, down.ExitCodeValue);
        var scripted = new JobOutcome();
        scripted.ItemFailed(new InvalidOperationException("record z failed"));
        Assert.Equal(JobExitCode.RecordsFailed, scripted.ExitCodeValue);
    }

    [Fact]
    public void Every_failure_kind_has_a_deliberate_exit_code()
    {
        var unexpected = Enum.GetValues<FailureKind>()
            .Where(k => JobOutcome.ForException(new OberaConnectException("x", k, "x")) == JobExitCode.Unexpected).ToArray();
        Assert.Equal(new[] { FailureKind.Unknown }, unexpected);
    }

    [Fact]
    public void Outcomes_of_several_jobs_merge()
    {
        var first = new JobOutcome();
        first.RecordsFailed(2);
        var second = new JobOutcome();
        second.ComponentUnhealthy("NinjaOne");
        var total = new JobOutcome();
        total.Merge(first);
        total.Merge(second);
        Assert.Equal(JobExitCode.ComponentUnhealthy, total.ExitCodeValue);
        Assert.Equal(2, total.FailedRecords);
        Assert.Equal(new[] { "NinjaOne" }, total.UnhealthyComponents);
        Assert.Throws<ArgumentOutOfRangeException>(() => total.RecordsFailed(-1));
    }

    [Fact]
    public void Conflicts_count_as_failed_records_unless_accepted_and_are_counted_either_way()
    {
        var open = new JobOutcome();
        open.RecordsInConflict(2);
        Assert.Equal(JobExitCode.RecordsFailed, open.ExitCodeValue);
        Assert.Equal(2, open.Conflicts);
        Assert.Equal(0, open.FailedRecords);
        Assert.Contains("conflicts: 2", open.ToString());

        var accepted = new JobOutcome();
        accepted.RecordsInConflict(2, accepted: true);
        Assert.Equal(JobExitCode.Success, accepted.ExitCodeValue);
        var total = new JobOutcome();
        total.Merge(accepted);
        Assert.Equal(2, total.Conflicts);
        Assert.Throws<ArgumentOutOfRangeException>(() => total.RecordsInConflict(-1));
    }

    [Fact]
    public void An_item_error_is_judged_as_the_run_it_makes()
    {
        Assert.Equal(JobExitCode.RecordsFailed, JobOutcome.ForItem(new OberaConnectException("NotionObjectNotFound", FailureKind.NotFound, "x")));
        Assert.Equal(JobExitCode.ConfigurationError, JobOutcome.ForItem(new OberaConnectException("NotionUnauthorized", FailureKind.Authentication, "x")));
        Assert.Equal(JobExitCode.ComponentUnhealthy, JobOutcome.ForItem(new ServiceUnavailableException("Notion",
            HttpFailure.FromException(new TimeoutException(), new Uri("http://127.0.0.1:9/"), TimeSpan.FromSeconds(1), DateTimeOffset.UnixEpoch), "down")));
        Assert.Equal(JobExitCode.RecordsFailed, JobOutcome.ForItem(new InvalidOperationException("a script's Write-Error")));
    }
}
