using System.Reflection;

namespace OberaConnect.PowerShell.Isolation
{
    /// <summary>
    /// Makes OberaConnect.Engine and its closure in Dependencies/ loadable without ever colliding with other
    /// modules' versions of the same assemblies. On PowerShell 7 the net8.0 loader (in Dependencies/) gives the
    /// engine a private AssemblyLoadContext and bridges only the assemblies the cmdlet assembly references; on
    /// Windows PowerShell 5.1 a narrow AssemblyResolve handler does what .NET Framework allows.
    /// Nothing here references engine types: this code runs before the engine can be loaded.
    /// </summary>
    public static class DependencyIsolation
    {
        /// <summary>The folder, under the module folder, that holds the engine and every third-party assembly.</summary>
        public const string DependencyFolderName = "Dependencies";

        /// <summary>The net8.0 assembly that holds the private load context.</summary>
        public const string LoaderAssemblyName = "OberaConnect.PowerShell.Loader";

        // Process-wide by nature: the resolve hooks are process-wide and Import-Module may run twice.
        private static readonly object Gate = new object();
        private static FrameworkAssemblyResolver? _frameworkResolver;
        private static string? _installedDirectory;

        /// <summary>True on .NET Core / .NET 5+ (PowerShell 7), where AssemblyLoadContext exists.</summary>
        public static bool HasLoadContexts => LoadContextType() is not null;

        /// <summary>
        /// Installs the isolation for the module in <paramref name="moduleDirectory"/> (where OberaConnect.PowerShell.dll is).
        /// Returns a short description of what was installed, for -Verbose and diagnostics.
        /// </summary>
        public static string Install(string moduleDirectory)
        {
            var dependencies = Path.Combine(moduleDirectory, DependencyFolderName);
            if (!Directory.Exists(dependencies))
                throw new DirectoryNotFoundException($"The module folder '{moduleDirectory}' has no {DependencyFolderName} folder. Reinstall the module: the engine and its dependencies live there.");

            lock (Gate)
            {
                if (HasLoadContexts)
                {
                    var bridges = BridgeAssemblyNames(typeof(DependencyIsolation).Assembly, new DependencyFolder(dependencies));
                    InvokeLoader(dependencies, "Install", new object[] { dependencies, bridges });
                    _installedDirectory = dependencies;
                    return $"private load context for {dependencies}; bridged: {string.Join(", ", bridges)}";
                }

                if (_frameworkResolver is null)
                {
                    _frameworkResolver = new FrameworkAssemblyResolver(new DependencyFolder(dependencies));
                    AppDomain.CurrentDomain.AssemblyResolve += OnFrameworkResolve;
                }
                _installedDirectory = dependencies;
                return $"AssemblyResolve handler for {dependencies}";
            }
        }

        /// <summary>Removes the hooks installed by <see cref="Install"/> (Remove-Module). Loaded assemblies stay loaded.</summary>
        public static void Uninstall()
        {
            lock (Gate)
            {
                if (_installedDirectory is null) return;
                if (HasLoadContexts)
                {
                    InvokeLoader(_installedDirectory, "Uninstall", new object[] { _installedDirectory });
                }
                else if (_frameworkResolver is not null)
                {
                    AppDomain.CurrentDomain.AssemblyResolve -= OnFrameworkResolve;
                    _frameworkResolver = null;
                }
                _installedDirectory = null;
            }
        }

        /// <summary>
        /// The assemblies the default context must be given from the private context: exactly those the cmdlet
        /// assembly references that live in Dependencies/ (the engine, and any exchange assembly whose types the
        /// cmdlets use directly). Everything else stays private.
        /// </summary>
        public static string[] BridgeAssemblyNames(Assembly cmdletAssembly, string dependencyDirectory) =>
            BridgeAssemblyNames(cmdletAssembly, new DependencyFolder(dependencyDirectory));

        internal static string[] BridgeAssemblyNames(Assembly cmdletAssembly, DependencyFolder folder)
        {
            var names = new List<string>();
            foreach (var reference in cmdletAssembly.GetReferencedAssemblies())
            {
                if (reference.Name is { } name && folder.TryGetPath(name, out _) && name != LoaderAssemblyName) names.Add(name);
            }
            names.Sort(StringComparer.OrdinalIgnoreCase);
            return names.ToArray();
        }

        private static Assembly? OnFrameworkResolve(object? sender, ResolveEventArgs args) => _frameworkResolver?.Resolve(sender, args);

        private static Type? LoadContextType() =>
            Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false);

        private static void InvokeLoader(string dependencies, string method, object[] arguments)
        {
            var loaderPath = Path.Combine(dependencies, LoaderAssemblyName + ".dll");
            if (!File.Exists(loaderPath))
                throw new FileNotFoundException($"The module's loader {loaderPath} is missing. Reinstall the module.", loaderPath);

            // The loader goes into the default context: it references only the framework, so it cannot collide.
            var contextType = LoadContextType()!;
            var defaultContext = contextType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
            var loader = FindLoaded(LoaderAssemblyName, loaderPath)
                ?? (Assembly)contextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!.Invoke(defaultContext, new object[] { loaderPath })!;
            var isolation = loader.GetType(LoaderAssemblyName + ".LoadContextIsolation", throwOnError: true)!;
            try
            {
                isolation.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }

        private static Assembly? FindLoaded(string simpleName, string path)
        {
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (!string.Equals(assembly.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase) || assembly.IsDynamic) continue;
                if (string.Equals(Path.GetFullPath(assembly.Location), Path.GetFullPath(path), StringComparison.OrdinalIgnoreCase)) return assembly;
            }
            return null;
        }
    }
}
