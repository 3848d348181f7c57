// Compile-only surface of nanoFramework.Runtime.Native (see README.md in this folder). Nothing here runs.
namespace nanoFramework.Runtime.Native
{
    /// <summary>nanoframework/nanoFramework.Runtime.Native: nanoFramework.Runtime.Native/Power.cs @279c2de5 (read 2026-11-25): public class Power.</summary>
    public class Power
    {
        /// <summary>Power.cs: public static void RebootDevice(int exeConstraintTimeout) - runs OnRebootEvent handlers within the timeout, then reboots.</summary>
        public static void RebootDevice(int exeConstraintTimeout) { throw new System.NotSupportedException(); }
    }
}
