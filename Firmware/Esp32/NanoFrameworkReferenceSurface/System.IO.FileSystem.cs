// Compile-only surface of nanoFramework.System.IO.FileSystem 1.1.87 (+ System.IO.Streams 1.1.96 for the Stream
// members FileStream inherits). See README.md in this folder. Nothing here runs.
namespace System.IO
{
    /// <summary>nanoframework/System.IO.FileSystem: System.IO.FileSystem/File.cs @05510a72 (read 2026-11-25): public static class File.</summary>
    public static class File
    {
        /// <summary>File.cs: public static bool Exists(string path).</summary>
        public static bool Exists(string path) { throw new NotSupportedException(); }

        /// <summary>File.cs: public static FileStream Create(string path).</summary>
        public static FileStream Create(string path) { throw new NotSupportedException(); }

        /// <summary>File.cs: public static void Delete(string path).</summary>
        public static void Delete(string path) { throw new NotSupportedException(); }
    }

    /// <summary>
    /// FileStream.cs (same repo): public class FileStream : Stream, ctor (string path, FileMode mode, FileAccess access)
    /// as File.cs calls it. Length, Read and Dispose are Stream members (System.IO.Streams) declared here directly.
    /// </summary>
    public class FileStream : IDisposable
    {
        public FileStream(string path, FileMode mode, FileAccess access) { throw new NotSupportedException(); }

        public long Length { get { throw new NotSupportedException(); } }

        public int Read(byte[] buffer, int offset, int count) { throw new NotSupportedException(); }

        /// <summary>nanoframework/System.IO.Streams: System.IO.Streams/Stream.cs (read 2026-11-25): public abstract void Write(byte[] buffer, int offset, int count).</summary>
        public void Write(byte[] buffer, int offset, int count) { throw new NotSupportedException(); }

        /// <summary>Stream.cs: public abstract long Seek(long offset, SeekOrigin origin).</summary>
        public long Seek(long offset, SeekOrigin origin) { throw new NotSupportedException(); }

        /// <summary>Stream.cs: public abstract void Flush().</summary>
        public void Flush() { throw new NotSupportedException(); }

        public void Dispose() { throw new NotSupportedException(); }
    }

    /// <summary>nanoframework/System.IO.Streams: System.IO.Streams/SeekOrigin.cs @cf6e5f7b (read 2026-11-25): Begin = 0, Current = 1, End = 2.</summary>
    public enum SeekOrigin
    {
        Begin = 0,
        Current = 1,
        End = 2,
    }

    /// <summary>System.IO.FileSystem/FileMode.cs @0b4543a4 (read 2026-11-25): CreateNew = 1, Create = 2, Open = 3, OpenOrCreate = 4, Truncate = 5, Append = 6.</summary>
    public enum FileMode
    {
        CreateNew = 1,
        Create = 2,
        Open = 3,
        OpenOrCreate = 4,
        Truncate = 5,
        Append = 6,
    }

    /// <summary>System.IO.FileSystem/FileAccess.cs @cddbb0b2 (read 2026-11-25): [Flags] Read = 1, Write = 2, ReadWrite = 3.</summary>
    public enum FileAccess
    {
        Read = 1,
        Write = 2,
        ReadWrite = 3,
    }
}
