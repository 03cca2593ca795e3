"""The live journal: channels with gap-free seq, publish after commit, Socket.IO handlers."""
