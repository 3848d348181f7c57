using System.IO;

namespace SolidBms.Esp32.Binding
{
    /// <summary>
    /// Reads the rig's text files (board, limit profile, cell) from the internal flash drive I:\, where
    /// docs/nanoframework.md shows how to put them. ASCII only: nanoFramework's mscorlib has no text encoding,
    /// and board files need none. Runs once at start-up.
    /// </summary>
    public static class DeviceFiles
    {
        public const string BoardPath = "I:\\board.board";
        public const string ProfilePath = "I:\\limits.profile";
        public const string CellPath = "I:\\cell.cell";
        public const string EventLogPath = "I:\\events.log";
        /// <summary>The estimator's state across resets (SocMemory).</summary>
        public const string SocMemoryPath = "I:\\soc.state";

        public static string ReadAscii(string path)
        {
            if (!File.Exists(path)) throw new IOException("missing " + path);
            using (var f = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                int length = (int)f.Length;
                byte[] bytes = new byte[length];
                int read = 0;
                while (read < length)
                {
                    int n = f.Read(bytes, read, length - read);
                    if (n <= 0) break;
                    read += n;
                }
                char[] chars = new char[read];
                for (int i = 0; i < read; i++)
                {
                    if (bytes[i] > 127) throw new IOException(path + ": byte " + i.ToString() + " is not ASCII");
                    chars[i] = (char)bytes[i];
                }
                return new string(chars);
            }
        }
    }
}
