// Compile-only surface of nanoFramework.TestFramework 3.0.80 (see README.md in this folder). Nothing here runs.
// Every line is checked against api/nanoFramework.TestFramework.api.txt by SurfaceListingTests.
// Used only by Tests/SolidBms.DeviceTests.Nano.
using System;

namespace nanoFramework.TestFramework
{
    /// <summary>nanoframework/nanoFramework.TestFramework: source/TestFrameworkShared/TestClassAttribute.cs @09405a9a (read 2026-11-25).</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class TestClassAttribute : Attribute
    {
    }

    /// <summary>source/TestFrameworkShared/TestMethodAttribute.cs @612ead30 (read 2026-11-25).</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class TestMethodAttribute : Attribute
    {
    }

    /// <summary>source/TestFrameworkShared/SetupAttribute.cs @09405a9a (read 2026-11-25): runs before the tests of its class.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class SetupAttribute : Attribute
    {
    }

    /// <summary>source/TestFramework/Assert.cs @02673cc5 (read 2026-11-25): public sealed partial class Assert.</summary>
    public sealed class Assert
    {
        /// <summary>Assert.cs: public static void IsTrue(bool condition, string message = "").</summary>
        public static void IsTrue(bool condition, string message = "") { throw new NotSupportedException(); }

        /// <summary>Assert.cs: public static void IsFalse(bool condition, string message = "").</summary>
        public static void IsFalse(bool condition, string message = "") { throw new NotSupportedException(); }
    }
}
