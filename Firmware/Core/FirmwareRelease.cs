namespace SolidBms.Core
{
    /// <summary>
    /// The firmware release, in one place: the VERSION command reports it and every device assembly carries it
    /// (Properties/AssemblyInfo.cs), so a deployed .pe can be matched to its source. Bump on every release.
    /// </summary>
    public static class FirmwareRelease
    {
        public const string Version = "0.3.0";

        /// <summary>Four-part form for AssemblyVersion/AssemblyFileVersion.</summary>
        public const string AssemblyVersion = Version + ".0";

        public const string Product = "SolidBms";

        public const string Copyright = "Copyright (c) 2026 SolidBms contributors";
    }
}
