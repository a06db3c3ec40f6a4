using System.Management.Automation;
using OberaConnect.PowerShell.Isolation;

namespace OberaConnect.PowerShell
{
    /// <summary>
    /// Runs when PowerShell imports the module and when it removes it. It only installs the dependency isolation;
    /// it must not touch engine types, because the engine cannot load until the isolation is in place.
    /// </summary>
    public sealed class OberaConnectModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <summary>Called by Import-Module.</summary>
        public void OnImport()
        {
            var moduleDirectory = Path.GetDirectoryName(typeof(OberaConnectModuleInitializer).Assembly.Location)!;
            DependencyIsolation.Install(moduleDirectory);
        }

        /// <summary>Called by Remove-Module.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyIsolation.Uninstall();
    }
}
