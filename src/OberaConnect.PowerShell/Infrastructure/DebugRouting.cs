namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>Where a cmdlet's debug messages (the HTTP exchanges of -Debug) go.</summary>
    public enum DebugTarget
    {
        /// <summary>Debug output is off: nothing is formatted at all.</summary>
        Off,
        /// <summary>The Debug stream (WriteDebug): shown as DEBUG:, redirectable with 5>.</summary>
        Stream,
        /// <summary>
        /// Straight to the host's console (Host.UI.WriteDebugLine), never through WriteDebug: the stream would stop at a
        /// "Continue with this operation?" prompt for each message.
        /// </summary>
        Host,
    }

    /// <summary>
    /// What -Debug does to a cmdlet of the module: it shows the HTTP exchanges and never prompts by itself, in a console
    /// or in a script without a terminal. PowerShell turns the -Debug switch into prompts in two places, which this
    /// routing steps around: the switch makes $VerbosePreference Inquire on every edition (each WriteVerbose would ask
    /// "Continue with this operation?", and fail with no terminal), so verbose messages go to the debug output instead
    /// while -Verbose is not given; and Windows PowerShell 5.1 makes $DebugPreference Inquire, so there the messages go
    /// to the host directly. A $DebugPreference of Inquire the user set is kept in an interactive session (they asked
    /// for it); in an unattended one nobody could answer, so the host gets the messages. No PowerShell types, so the
    /// rules are tested without PowerShell (and the 5.1 ones on any machine).
    /// </summary>
    public static class DebugRouting
    {
        /// <summary>The routing of one invocation.</summary>
        /// <param name="debugSwitch">-Debug was given (and not as -Debug:$false).</param>
        /// <param name="verboseSwitch">-Verbose was given, either way (then PowerShell does not make verbose Inquire).</param>
        /// <param name="windowsPowerShell">The process is Windows PowerShell 5.1 (.NET Framework).</param>
        /// <param name="debugPreference">The $DebugPreference in scope, as its name (null: the default, SilentlyContinue).</param>
        /// <param name="unattended">Nobody can answer a prompt (see <see cref="UnattendedSession"/>).</param>
        public static DebugDecision Decide(bool debugSwitch, bool verboseSwitch, bool windowsPowerShell, string? debugPreference, bool unattended)
        {
            DebugTarget target;
            if (debugSwitch)
                target = windowsPowerShell ? DebugTarget.Host : DebugTarget.Stream;
            else
            {
                var preference = (debugPreference ?? "SilentlyContinue").Trim();
                if (preference.Equals("SilentlyContinue", StringComparison.OrdinalIgnoreCase) || preference.Equals("Ignore", StringComparison.OrdinalIgnoreCase)
                    || preference.Length == 0)
                    target = DebugTarget.Off;
                else if (preference.Equals("Inquire", StringComparison.OrdinalIgnoreCase))
                    target = unattended ? DebugTarget.Host : DebugTarget.Stream;
                else
                    target = DebugTarget.Stream;
            }
            return new DebugDecision(target, verboseAsDebug: debugSwitch && !verboseSwitch);
        }
    }

    /// <summary>The outcome of <see cref="DebugRouting.Decide"/>.</summary>
    public sealed class DebugDecision
    {
        public DebugDecision(DebugTarget target, bool verboseAsDebug)
        {
            Target = target;
            VerboseAsDebug = verboseAsDebug;
        }

        /// <summary>Where debug messages go.</summary>
        public DebugTarget Target { get; }

        /// <summary>True when verbose messages go to the debug output (the -Debug switch without -Verbose makes WriteVerbose prompt).</summary>
        public bool VerboseAsDebug { get; }

        /// <summary>True when HTTP exchanges are wanted at all.</summary>
        public bool Wanted => Target != DebugTarget.Off;
    }
}
