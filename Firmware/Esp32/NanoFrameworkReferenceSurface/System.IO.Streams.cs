// Compile-only surface of nanoFramework.System.IO.Streams 1.1.96 (see README.md in this folder). Nothing here runs.
// Every line is checked against api/System.IO.Streams.api.txt by SurfaceListingTests.
namespace System.IO
{
    /// <summary>
    /// Stream.cs: public abstract class Stream : MarshalByRefObject, IDisposable. Only the members FileStream's callers
    /// use are declared; the real class has more abstract members (CanRead, Position, SetLength, ...).
    /// </summary>
    public abstract class Stream : MarshalByRefObject, IDisposable
    {
        public abstract long Length { get; }

        public abstract int Read(byte[] buffer, int offset, int count);

        public abstract void Write(byte[] buffer, int offset, int count);

        public abstract long Seek(long offset, SeekOrigin origin);

        public abstract void Flush();

        /// <summary>Stream.cs: public void Dispose() calls the virtual Dispose(true).</summary>
        public void Dispose() { throw new NotSupportedException(); }

        protected virtual void Dispose(bool disposing) { throw new NotSupportedException(); }
    }

    /// <summary>SeekOrigin.cs: Begin = 0, Current = 1, End = 2.</summary>
    public enum SeekOrigin
    {
        Begin = 0,
        Current = 1,
        End = 2,
    }
}
