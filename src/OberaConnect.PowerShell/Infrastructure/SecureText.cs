using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;

namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>
    /// Turns SecureString and PSCredential parameters into the strings the engine takes, at the cmdlet boundary
    /// only: the plain copy lives in an unmanaged buffer that is zeroed and freed at once.
    /// </summary>
    internal static class SecureText
    {
        /// <summary>The text of <paramref name="secure"/>, or null when it is null or empty.</summary>
        public static string? ToPlainText(SecureString? secure)
        {
            if (secure is null || secure.Length == 0) return null;
            var bstr = IntPtr.Zero;
            try
            {
                bstr = Marshal.SecureStringToBSTR(secure);
                return Marshal.PtrToStringBSTR(bstr);
            }
            finally
            {
                if (bstr != IntPtr.Zero) Marshal.ZeroFreeBSTR(bstr);
            }
        }

        /// <summary>The user name and password of a credential (NinjaOne: client id and client secret); nulls for none.</summary>
        public static (string? UserName, string? Password) Split(PSCredential? credential)
        {
            if (credential is null || ReferenceEquals(credential, PSCredential.Empty)) return (null, null);
            var network = credential.GetNetworkCredential();
            return (string.IsNullOrEmpty(credential.UserName) ? null : credential.UserName,
                string.IsNullOrEmpty(network.Password) ? null : network.Password);
        }
    }
}
