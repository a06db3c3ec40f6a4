using System.Globalization;

namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>
    /// The progress of a sync in words and numbers: records done of how many, the percentage and the time left when the
    /// total is known (records read from -Source, the journal of -RetryFailed), only the count and the rate when it is
    /// not (a pipeline's length is unknown until it ends). No PowerShell types, so it is tested alone.
    /// </summary>
    public sealed class RecordProgress
    {
        private int _created, _updated, _unchanged, _skipped, _failed;

        /// <summary>Records done so far.</summary>
        public int Done { get; private set; }

        /// <summary>How many records the run has, when known; grows when the run adds records (marks of gone devices).</summary>
        public int? Total { get; private set; }

        /// <summary>Sets the number of records the run will have.</summary>
        public void Expect(int total) => Total = Math.Max(0, total);

        /// <summary>Adds records to the known total (records a run adds after its input, such as marks of missing ones).</summary>
        public void ExpectMore(int count)
        {
            if (Total is int total) Total = total + Math.Max(0, count);
        }

        /// <summary>Counts one record by its status name (Created, Updated, Unchanged, Skipped, Failed).</summary>
        public void Count(string status)
        {
            Done++;
            switch (status)
            {
                case "Created": _created++; break;
                case "Updated": _updated++; break;
                case "Unchanged": _unchanged++; break;
                case "Skipped": _skipped++; break;
                default: _failed++; break;
            }
            if (Total is int total && Done > total) Total = Done;
        }

        /// <summary>0–100 when the total is known, else -1 (PowerShell then shows no bar).</summary>
        public int PercentComplete => Total is int total && total > 0 ? Math.Min(100, Done * 100 / total) : -1;

        /// <summary>Seconds left at the rate so far when the total is known and a record is done, else -1.</summary>
        public int SecondsRemaining(TimeSpan elapsed)
        {
            if (!(Total is int total) || Done == 0 || elapsed <= TimeSpan.Zero) return -1;
            var left = (total - Done) * elapsed.TotalSeconds / Done;
            return (int)Math.Ceiling(Math.Max(0, left));
        }

        /// <summary>"30 of 98 record(s) (30%): 12 created, ... about 40 s left" or, with no total, "30 record(s) done (6.1/s): ...".</summary>
        public string Status(TimeSpan elapsed)
        {
            var counts = string.Format(CultureInfo.InvariantCulture, "{0} created, {1} updated, {2} unchanged, {3} skipped, {4} failed",
                _created, _updated, _unchanged, _skipped, _failed);
            if (Total is int total)
            {
                var seconds = SecondsRemaining(elapsed);
                var left = seconds < 0 ? "" : Done >= total ? "; done" : "; about " + Duration(seconds) + " left";
                return string.Format(CultureInfo.InvariantCulture, "{0} of {1} record(s) ({2}%): {3}{4}", Done, total, PercentComplete, counts, left);
            }
            var rate = elapsed.TotalSeconds > 0 ? string.Format(CultureInfo.InvariantCulture, " ({0:0.0}/s)", Done / elapsed.TotalSeconds) : "";
            return string.Format(CultureInfo.InvariantCulture, "{0} record(s) done{1}: {2}", Done, rate, counts);
        }

        private static string Duration(int seconds)
            => seconds < 90 ? seconds.ToString(CultureInfo.InvariantCulture) + " s"
               : seconds < 5400 ? ((seconds + 30) / 60).ToString(CultureInfo.InvariantCulture) + " min"
               : (seconds / 3600.0).ToString("0.0", CultureInfo.InvariantCulture) + " h";
    }
}
