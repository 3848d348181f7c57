namespace SolidBms.NfApi;

/// <summary>Where the reference surface and its listings live, relative to the repository root.</summary>
public static class SurfacePaths
{
    public const string Surface = "Firmware/Esp32/NanoFrameworkReferenceSurface";
    public const string Listings = "Firmware/Esp32/NanoFrameworkReferenceSurface/api";
}
