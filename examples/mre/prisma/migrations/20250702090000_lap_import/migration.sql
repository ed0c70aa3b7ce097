-- CreateTable
CREATE TABLE "Lap" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "lapMs" INTEGER NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'liverc',
    CONSTRAINT "Lap_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "Lap" ADD CONSTRAINT "Lap_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE;
