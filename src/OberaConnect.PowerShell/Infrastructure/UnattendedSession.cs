namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>
    /// Decides whether nobody can answer a prompt: pwsh/powershell started with -NonInteractive (any accepted
    /// abbreviation), a host without a UI (Task Scheduler through a runspace, NinjaOne's agent), a process outside
    /// an interactive window station (a service, a task run "whether the user is logged on or not"), or the
    /// OBERACONNECT_UNATTENDED environment variable. Pure inputs, so it is tested without PowerShell.
    /// </summary>
    public static class UnattendedSession
    {
        /// <summary>Environment variable that forces unattended behaviour when set to 1/true/yes.</summary>
        public const string OverrideVariable = "OBERACONNECT_UNATTENDED";

        /// <summary>True when the session must never prompt.</summary>
        public static bool IsUnattended(IEnumerable<string> commandLineArguments, bool hostHasUserInterface, bool userInteractive, string? overrideValue)
        {
            if (overrideValue is { } value)
            {
                var v = value.Trim();
                if (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("yes", StringComparison.OrdinalIgnoreCase)) return true;
                if (v == "0" || v.Equals("false", StringComparison.OrdinalIgnoreCase) || v.Equals("no", StringComparison.OrdinalIgnoreCase)) return false;
            }
            if (!hostHasUserInterface || !userInteractive) return true;
            return HasNonInteractiveSwitch(commandLineArguments);
        }

        /// <summary>
        /// True when the arguments hold -NonInteractive as PowerShell parses it: a leading '-', '/' or '--', and
        /// any prefix of "noninteractive" of at least "noni". Only switches before -File/-Command count: what
        /// follows belongs to the script.
        /// </summary>
        public static bool HasNonInteractiveSwitch(IEnumerable<string> commandLineArguments)
        {
            var first = true;
            foreach (var raw in commandLineArguments)
            {
                // The first argument is the executable itself.
                if (first) { first = false; continue; }
                var name = SwitchName(raw);
                if (name is null) continue;
                if (StartsScript(name)) return false;
                if (name.Length >= 4 && IsPrefixOf(name, "noninteractive", 4)) return true;
            }
            return false;
        }

        // -File, -Command, -EncodedCommand and their abbreviations (-f, -c, -e, -ec): what follows is the script's.
        private static bool StartsScript(string name) =>
            IsPrefixOf(name, "file", 1) || IsPrefixOf(name, "command", 1) || IsPrefixOf(name, "encodedcommand", 1)
            || name.Equals("ec", StringComparison.OrdinalIgnoreCase) || IsPrefixOf(name, "commandwithargs", 8) || name.Equals("cwa", StringComparison.OrdinalIgnoreCase);

        private static string? SwitchName(string argument)
        {
            if (argument.StartsWith("--", StringComparison.Ordinal)) return argument.Substring(2);
            if (argument.Length > 1 && (argument[0] == '-' || argument[0] == '/')) return argument.Substring(1);
            return null;
        }

        private static bool IsPrefixOf(string candidate, string full, int minimum) =>
            candidate.Length >= minimum && candidate.Length <= full.Length && full.StartsWith(candidate, StringComparison.OrdinalIgnoreCase);
    }
}
