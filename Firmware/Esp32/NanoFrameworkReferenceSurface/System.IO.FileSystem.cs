// Compile-only surface of nanoFramework.System.IO.FileSystem 1.1.87 (see README.md in this folder). Nothing here runs.
// Every line is checked against api/System.IO.FileSystem.api.txt by SurfaceListingTests. Stream and SeekOrigin,
// which FileStream builds on, live in System.IO.Streams.cs, as they do in the real packages.
namespace System.IO
{
    /// <summary>File.cs: public static class File.</summary>
    public static class File
    {
        /// <summary>File.cs: public static bool Exists(string path).</summary>
        public static bool Exists(string path) { throw new NotSupportedException(); }

        /// <summary>File.cs: public static FileStream Create(string path).</summary>
        public static FileStream Create(string path) { throw new NotSupportedException(); }

        /// <summary>File.cs: public static void Delete(string path).</summary>
        public static void Delete(string path) { throw new NotSupportedException(); }
    }

    /// <summary>FileStream.cs: public class FileStream : Stream, overriding the Stream members the binding calls.</summary>
    public class FileStream : Stream
    {
        /// <summary>FileStream.cs: public FileStream(string path, FileMode mode, FileAccess access).</summary>
        public FileStream(string path, FileMode mode, FileAccess access) { throw new NotSupportedException(); }

        public override long Length { get { throw new NotSupportedException(); } }

        public override int Read(byte[] buffer, int offset, int count) { throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) { throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin origin) { throw new NotSupportedException(); }

        public override void Flush() { throw new NotSupportedException(); }

        /// <summary>FileStream.cs: protected override void Dispose(bool disposing) (callers use Stream.Dispose()).</summary>
        protected override void Dispose(bool disposing) { throw new NotSupportedException(); }
    }

    /// <summary>FileMode.cs: CreateNew = 1, Create = 2, Open = 3, OpenOrCreate = 4, Truncate = 5, Append = 6.</summary>
    public enum FileMode
    {
        CreateNew = 1,
        Create = 2,
        Open = 3,
        OpenOrCreate = 4,
        Truncate = 5,
        Append = 6,
    }

    /// <summary>FileAccess.cs: [Flags] Read = 1, Write = 2, ReadWrite = 3.</summary>
    [Flags]
    public enum FileAccess
    {
        Read = 1,
        Write = 2,
        ReadWrite = 3,
    }
}
