using System.Collections;
using System.Management.Automation;

namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>
    /// Refuses a name filter that is null, empty or only white space (each element of an array too): such a filter would
    /// otherwise match every name, which is never what someone typing <c>-Site ''</c> or piping <c>$null</c> meant.
    /// The message says what to give instead. ValidateNotNullOrWhiteSpace does the same on PowerShell 7.4 only.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateNameAttribute : ValidateArgumentsAttribute
    {
        /// <summary>What the name names, for the message ("site name").</summary>
        public string What { get; set; } = "name";

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            if (arguments is PSObject wrapped) arguments = wrapped.BaseObject;
            if (arguments is string text)
            {
                Check(text);
                return;
            }
            if (arguments is IEnumerable list)
            {
                var any = false;
                foreach (var item in list)
                {
                    any = true;
                    Check(item is PSObject p ? p.BaseObject as string : item as string);
                }
                if (any) return;
            }
            Check(null);
        }

        private void Check(string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) return;
            throw new ValidationMetadataException(
                $"The {What} is {(value is null ? "missing" : "empty")}. Give a {What} (wildcards such as 'Bayou*' are allowed), or leave the parameter out to read them all.");
        }
    }
}
