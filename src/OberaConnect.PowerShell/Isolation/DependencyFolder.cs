using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace OberaConnect.PowerShell.Isolation
{
    /// <summary>
    /// The module's Dependencies/ folder: which assemblies it holds and their versions. Read once, because the
    /// folder does not change while the module is loaded and a resolve handler must be cheap.
    /// Compiled into both the cmdlet assembly and the loader (one source, linked), so the two agree.
    /// </summary>
    internal sealed class DependencyFolder
    {
        private readonly Dictionary<string, string> _paths;
        private readonly Dictionary<string, Version?> _versions = new Dictionary<string, Version?>(StringComparer.OrdinalIgnoreCase);
        private readonly object _gate = new object();

        public DependencyFolder(string directory)
        {
            Directory = Path.GetFullPath(directory);
            _paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (System.IO.Directory.Exists(Directory))
            {
                foreach (var file in System.IO.Directory.GetFiles(Directory, "*.dll"))
                    _paths[Path.GetFileNameWithoutExtension(file)] = file;
            }
        }

        /// <summary>Full path of the folder.</summary>
        public string Directory { get; }

        /// <summary>The path of the assembly with this simple name, when the folder holds it.</summary>
        public bool TryGetPath(string? simpleName, out string path)
        {
            path = "";
            if (simpleName is null || simpleName.Length == 0) return false;
            if (!_paths.TryGetValue(simpleName, out var found)) return false;
            path = found;
            return true;
        }

        /// <summary>The assembly version of the file in the folder (read lazily, once), or null when absent or unreadable.</summary>
        public Version? VersionOf(string simpleName)
        {
            lock (_gate)
            {
                if (_versions.TryGetValue(simpleName, out var known)) return known;
                Version? version = null;
                if (TryGetPath(simpleName, out var path))
                {
                    try { version = AssemblyName.GetAssemblyName(path).Version; }
                    catch (BadImageFormatException) { version = null; }
                    catch (IOException) { version = null; }
                }
                _versions[simpleName] = version;
                return version;
            }
        }

        /// <summary>True when <paramref name="location"/> is a file inside the module folder (the parent of Dependencies/) or below it.</summary>
        public bool IsInsideModule(string? location)
        {
            if (string.IsNullOrEmpty(location)) return false;
            var moduleRoot = Path.GetDirectoryName(Directory);
            if (moduleRoot is null) return false;
            var full = Path.GetFullPath(location);
            var prefix = moduleRoot.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal)
                ? moduleRoot
                : moduleRoot + Path.DirectorySeparatorChar;
            return full.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
        }
    }
}
