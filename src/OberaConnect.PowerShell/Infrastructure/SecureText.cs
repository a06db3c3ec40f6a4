using System.Runtime.InteropServices;
using System.Security;

namespace OberaConnect.PowerShell.Infrastructure
{
    /// <summary>Reads a SecureString parameter (a token) as text for the credential resolver, which registers it for masking.</summary>
    internal static class SecureText
    {
        public static string? Reveal(SecureString? value)
        {
            if (value is null || value.Length == 0) return null;
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(value);
                return Marshal.PtrToStringUni(pointer);
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
