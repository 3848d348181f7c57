// Compile-only surface of nanoFramework.Runtime.Native 1.7.11 (see README.md in this folder). Nothing here runs.
// Every line is checked against api/nanoFramework.Runtime.Native.api.txt by SurfaceListingTests.
using System.Runtime.CompilerServices;

namespace nanoFramework.Runtime.Native
{
    /// <summary>nanoframework/nanoFramework.Runtime.Native: nanoFramework.Runtime.Native/Power.cs @279c2de5 (read 2026-11-25): public class Power.</summary>
    public class Power
    {
        /// <summary>Power.cs: RebootDevice(int exeConstraintTimeout, RebootOption rebootOption = NormalReboot) - runs OnRebootEvent handlers within the timeout, then reboots.</summary>
        public static void RebootDevice(int exeConstraintTimeout, RebootOption rebootOption = RebootOption.NormalReboot) { throw new System.NotSupportedException(); }
    }

    /// <summary>RebootOption.cs: NormalReboot = 0 is the only one the binding uses.</summary>
    public enum RebootOption
    {
        NormalReboot = 0,
        EnterNanoBooter = 1,
        ClrOnly = 2,
        EnterProprietaryBooter = 8,
    }

    /// <summary>GC.cs: public static class GC (the interpreter bench, Tools/SolidBms.NanoBench, reads the free heap with it).</summary>
    public static class GC
    {
        /// <summary>GC.cs: public static extern uint Run(bool compactHeap) (native): a collection, then the free bytes; compactHeap also compacts.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern uint Run(bool compactHeap);
    }
}
